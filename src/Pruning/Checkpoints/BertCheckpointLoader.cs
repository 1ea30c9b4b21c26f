using Sweeps.Pruning.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// Loads a Hugging Face BERT folder into a <see cref="PretrainedBert"/>. Accepts BertModel names
/// (<c>embeddings.*</c>) and BertForMaskedLM names (<c>bert.embeddings.*</c>, <c>cls.predictions.*</c>). Every
/// expected tensor is checked: a missing, mis-shaped, non-float or not finite one is an error that names it.
/// </summary>
public static class BertCheckpointLoader
{
    private const string EncoderPrefix = "bert.";
    private const string MaskedLmPrefix = "cls.predictions.";

    // Present in many checkpoints, derived or tied in ours: never reported as unexpected.
    private static readonly HashSet<string> KnownRedundant =
    [
        "embeddings.position_ids", "cls.predictions.decoder.weight", "cls.predictions.decoder.bias",
    ];

    /// <summary>Loads the folder's config and weights; the model is returned on the CPU, in evaluation mode.</summary>
    public static (PretrainedBert Model, BertLoadReport Report) Load(ModelFolder folder)
    {
        var config = BertConfig.Load(folder.ConfigPath);
        using var file = SafetensorsFile.Open(folder.WeightsPath);
        var names = file.Entries.Keys.ToHashSet(StringComparer.Ordinal);
        var withHead = names.Any(n => n.StartsWith(MaskedLmPrefix, StringComparison.Ordinal));

        var model = new PretrainedBert(config, withHead);
        try
        {
            var report = CopyInto(model, file, names);
            model.PoolerLoaded = !report.OptionalMissing.Any(IsOptional);
            model.eval();
            return (model, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static BertLoadReport CopyInto(PretrainedBert model, SafetensorsFile file, HashSet<string> names)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var optionalMissing = new List<string>();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var source = Candidates(name).FirstOrDefault(names.Contains);
            if (source is null)
            {
                if (IsOptional(name))
                {
                    optionalMissing.Add(name);
                    continue;
                }
                throw new ModelFormatException(file.Path,
                    $"missing tensor '{StripEncoderPrefix(name)}' (shape [{string.Join(", ", parameter.shape)}])");
            }

            var entry = file.Entries[source];
            if (!entry.Shape.SequenceEqual(parameter.shape))
                throw new ModelFormatException(file.Path,
                    $"tensor '{source}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", parameter.shape)}]");
            using var value = file.ReadFiniteFloat32(source);
            parameter.copy_(value);
            used.Add(source);
        }

        var unexpected = names.Where(n => !used.Contains(n) && !KnownRedundant.Contains(StripEncoderPrefix(n)))
            .Order(StringComparer.Ordinal).ToList();
        return new BertLoadReport(unexpected, optionalMissing);
    }

    private static IEnumerable<string> Candidates(string name)
    {
        yield return name;
        if (name.StartsWith(EncoderPrefix, StringComparison.Ordinal)) yield return name[EncoderPrefix.Length..];
    }

    private static string StripEncoderPrefix(string name) =>
        name.StartsWith(EncoderPrefix, StringComparison.Ordinal) ? name[EncoderPrefix.Length..] : name;

    // Hugging Face's BertForMaskedLM is saved without a pooler; SMP never reads it, a pooled linear head initialises its own.
    private static bool IsOptional(string name) => StripEncoderPrefix(name).StartsWith("pooler.", StringComparison.Ordinal);
}
