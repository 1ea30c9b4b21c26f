using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Inputs;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Trials;

namespace Sweeps.Pruning.Export;

/// <summary>
/// Checks that an artefact fits the model folder found for it: masks learned on one BERT, applied to another's weights,
/// would export a model nobody trained. Compares what the artefact recorded — its vocabulary's hash, every mask's
/// shape, its head's shape — with the folder's vocab.txt and config.json. Weights of the same shape and vocabulary
/// cannot be told apart here (the artefact records no hash of them).
/// </summary>
public static class ArtifactFit
{
    public static void Check(string artifactPath, IReadOnlyDictionary<string, string> metadata, ModelFolder modelFolder)
    {
        var config = BertConfig.Load(modelFolder.ConfigPath);
        string Mismatch(string what) =>
            $"{what}: the artefact was trained on another base model than {modelFolder.Path}";

        if (metadata.TryGetValue("vocabulary", out var recorded))
        {
            var vocabulary = InputFile.ReadLines(modelFolder.VocabPath, InputFile.VocabularyBytes, "a WordPiece vocab.txt");
            if (ArtifactIdentity.VocabularyHash(vocabulary) != recorded)
                throw new ModelFormatException(artifactPath, Mismatch("its vocabulary differs from vocab.txt"));
        }

        var shapes = JsonSerializer.Deserialize<Dictionary<string, long[]>>(metadata.GetValueOrDefault("mask_shapes") ?? "{}")!;
        foreach (var (name, shape) in shapes)
        {
            var expected = ExpectedShape(name, config);
            if (expected is null || !expected.SequenceEqual(shape))
                throw new ModelFormatException(artifactPath, Mismatch(
                    $"mask '{name}' has shape [{string.Join(", ", shape)}], the model's weight {(expected is null ? "does not exist" : $"is [{string.Join(", ", expected)}]")}"));
        }

        using var file = SafetensorsFile.Open(artifactPath);
        foreach (var head in new[] { "classifier.weight", "qa_outputs.weight" })
            if (file.Entries.TryGetValue(head, out var entry) && entry.Shape[^1] != config.HiddenSize)
                throw new ModelFormatException(artifactPath, Mismatch(
                    $"head '{head}' reads {entry.Shape[^1]} features, the model's hidden size is {config.HiddenSize}"));
        if (metadata.TryGetValue("label_word_ids", out var ids)
            && JsonSerializer.Deserialize<long[]>(ids)!.Any(id => id < 0 || id >= config.VocabSize))
            throw new ModelFormatException(artifactPath, Mismatch($"a label word id lies outside the vocabulary of {config.VocabSize}"));
    }

    // bert.encoder.layer.N.<kind>: the weight shape [out, in] that kind has in a model of this config.
    private static long[]? ExpectedShape(string name, BertConfig config)
    {
        const string prefix = "bert.encoder.layer.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = name[prefix.Length..];
        var dot = rest.IndexOf('.');
        if (dot < 0 || !int.TryParse(rest[..dot], out var layer) || layer < 0 || layer >= config.NumHiddenLayers) return null;
        long hidden = config.HiddenSize, intermediate = config.IntermediateSize;
        return rest[(dot + 1)..] switch
        {
            "attention.self.query" or "attention.self.key" or "attention.self.value" or "attention.output.dense" => [hidden, hidden],
            "intermediate.dense" => [intermediate, hidden],
            "output.dense" => [hidden, intermediate],
            _ => null,
        };
    }
}
