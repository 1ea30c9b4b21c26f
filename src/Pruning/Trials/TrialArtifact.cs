using System.Text.Json;
using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Squad;
using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Text;
using Sweeps.Pruning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Sweeps.Pruning.Trials;

/// <summary>
/// What a trial leaves behind: <c>artifact.safetensors</c> with the bit-packed masks (1 bit per masked weight) and the
/// classifier head, plus — only for methods that change the weights (dense, magnitude, movement) — the fine-tuned
/// model as a Hugging Face folder under <c>model/</c>. An SMP trial's cost is its masks, not a copy of the weights.
/// </summary>
public static class TrialArtifact
{
    public const string FileName = "artifact.safetensors";
    public const string ModelFolderName = "model";
    private const string MaskSuffix = ".mask";
    // Metadata "head": absent for classification heads (artefacts written before span tasks have none), "span" for SQuAD.
    private const string SpanHeadKind = "span";

    /// <summary>Writes the artefact (<see cref="ReadKeepFractions"/> reads back what its masks keep).</summary>
    public static void Save(string folder, TrialConfig config, ITrialTask task, PretrainedBert model, Pruner pruner, ClassifierHead head,
        IReadOnlyList<string> vocabulary)
    {
        Directory.CreateDirectory(folder);
        var blobs = new List<SafetensorsBlob>();
        var shapes = new Dictionary<string, long[]>();
        foreach (var matrix in pruner.Matrices.Where(m => m.Module.Mask is not null))
        {
            blobs.Add(SafetensorsBlob.FromBytes(matrix.Name + MaskSuffix, MaskBits.Pack(matrix.Module.Mask!)));
            shapes[matrix.Name] = matrix.Module.Weight.shape;
        }
        foreach (var (name, parameter) in head.named_parameters()) blobs.Add(SafetensorsBlob.FromFloat32(name, parameter));

        var metadata = new Dictionary<string, string>
        {
            ["method"] = config.Method.ToName(),
            ["classifier"] = head.Mode.ToName(),
            ["keep_fraction"] = config.Keep.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ["base_model"] = config.Model,
            ["mask_shapes"] = JsonSerializer.Serialize(shapes),
        };
        // Absent for fp32 (and in artefacts written before precision was a setting).
        if (config.Precision != Precision.Fp32) metadata["precision"] = config.Precision.ToName();
        ArtifactIdentity.Of(task, vocabulary).WriteTo(metadata);
        if (head is SpanHead) metadata["head"] = SpanHeadKind;
        if (head is LabelWordHead words) metadata["label_word_ids"] = JsonSerializer.Serialize(words.LabelWordIds);
        if (head is LabelWordSpanHead spanWords) metadata["label_word_ids"] = JsonSerializer.Serialize(spanWords.LabelWordIds);
        if (head is LinearClassifierHead linear)
        {
            metadata["outputs"] = head.named_parameters().First(p => p.name == "classifier.bias").parameter.shape[0].ToString();
            // Absent for a head on the [CLS] state (and in artefacts written before a head could read the pooler).
            if (linear.HasPooler) metadata["pooler"] = "true";
        }

        if (config.Method.TrainsWeights())
            BertCheckpointWriter.Save(model, Path.Combine(folder, ModelFolderName), vocabulary);
        SafetensorsFile.Write(Path.Combine(folder, FileName), blobs, metadata);
    }

    /// <summary>
    /// The keep fractions of the masks an artefact holds (per masked matrix and overall) and their packed size; null
    /// when it holds no masks (dense fine-tuning).
    /// </summary>
    public static (IReadOnlyDictionary<string, double> PerMatrix, double Overall, long MaskBytes)? ReadKeepFractions(string folder)
    {
        var path = Path.Combine(folder, FileName);
        using var file = SafetensorsFile.Open(path);
        var shapes = JsonSerializer.Deserialize<Dictionary<string, long[]>>(file.Metadata.GetValueOrDefault("mask_shapes") ?? "{}")!;
        if (shapes.Count == 0) return null;
        var perMatrix = new Dictionary<string, double>();
        long kept = 0, total = 0, bytes = 0;
        foreach (var (name, shape) in shapes)
        {
            var packed = file.ReadBytes(name + MaskSuffix);
            var ones = packed.Sum(b => (long)System.Numerics.BitOperations.PopCount(b));
            var count = shape.Aggregate(1L, (a, b) => a * b);
            perMatrix[name] = ones / (double)count;
            (kept, total, bytes) = (kept + ones, total + count, bytes + packed.Length);
        }
        return (perMatrix, kept / (double)total, bytes);
    }

    /// <summary>
    /// Rebuilds a trained trial's classifier: the frozen pre-trained model (or the fine-tuned one the artefact carries)
    /// with the artefact's masks applied, its head, and the encoder for its vocabulary. The model is on the CPU, in
    /// evaluation mode.
    /// </summary>
    public static TrainedModel Load(string folder, SweepsCache cache)
    {
        var path = Path.Combine(folder, FileName);
        using var file = SafetensorsFile.Open(path);
        var meta = file.Metadata;
        string Meta(string key) => meta.TryGetValue(key, out var value) ? value
            : throw new ModelFormatException(path, $"artefact metadata has no '{key}'");

        var ownWeights = Path.Combine(folder, ModelFolderName);
        var modelFolder = Directory.Exists(ownWeights) ? ModelFolder.Open(ownWeights) : BuiltInModels.Resolve(Meta("base_model"), cache);
        var (model, _) = BertCheckpointLoader.Load(modelFolder);
        var encoder = BertTextEncoder.Load(modelFolder);
        // Evaluated as it was trained: masks learned in bf16 are read in bf16 (a fine-tuned model's weights are its own, float32).
        if (meta.TryGetValue("precision", out var precision))
            MixedPrecision.Apply(model, PrecisionNames.Parse(precision), weightsTrained: Directory.Exists(ownWeights));

        var shapes = JsonSerializer.Deserialize<Dictionary<string, long[]>>(Meta("mask_shapes"))!;
        var matrices = PrunableMatrix.Of(model).ToDictionary(m => m.Name);
        foreach (var (name, shape) in shapes)
        {
            if (!matrices.TryGetValue(name, out var matrix))
                throw new ModelFormatException(path, $"mask '{name}' matches no masked matrix of {modelFolder.Path}");
            matrix.Module.SetMask(MaskBits.Unpack(file.ReadBytes(name + MaskSuffix), shape));
        }

        var span = meta.TryGetValue("head", out var kind) && kind == SpanHeadKind;
        var maskedLm = ClassifierModeNames.Parse(Meta("classifier")) == ClassifierMode.MaskedLmHead;
        ClassifierHead head;
        if (maskedLm)
        {
            var ids = JsonSerializer.Deserialize<long[]>(Meta("label_word_ids"))!;
            var mlm = model.MaskedLmHead ?? throw new ModelFormatException(path, "classifier 'mlm' but the model has no masked-LM head");
            head = span ? new LabelWordSpanHead(mlm, ids) : new LabelWordHead(mlm, ids, encoder.MaskTokenId);
        }
        else
        {
            head = span ? new LinearSpanHead(model.Config.HiddenSize)
                : new LinearClassifierHead(model.Config.HiddenSize, int.Parse(Meta("outputs")), model.Config.HiddenDropoutProb,
                    pooler: meta.TryGetValue("pooler", out var pooled) && pooled == "true");
            using (no_grad())
                foreach (var (name, parameter) in head.named_parameters())
                {
                    using var value = file.ReadFiniteFloat32(name);
                    parameter.copy_(value);
                }
        }
        model.eval();
        head.eval();
        return new TrainedModel(model, head, encoder);
    }
}
