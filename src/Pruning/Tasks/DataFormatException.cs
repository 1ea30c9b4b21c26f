namespace Sweeps.Pruning.Tasks;

/// <summary>A data file that cannot be read as the task expects; the message names the file and line.</summary>
public sealed class DataFormatException(string path, int? line, string problem)
    : Exception(line is null ? $"{path}: {problem}" : $"{path}:{line}: {problem}")
{
    public string Path { get; } = path;
    public int? Line { get; } = line;
}
