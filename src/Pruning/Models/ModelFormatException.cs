namespace Sweeps.Pruning.Models;

/// <summary>A model folder or weight file that cannot be used; the message names the file and what was wrong.</summary>
public sealed class ModelFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    /// <summary>The file or folder at fault.</summary>
    public string Path { get; } = path;
}
