namespace Sweeps.Pruning.Inputs;

/// <summary>
/// An input path that cannot be read safely — missing, not a regular file or folder (a FIFO, a device, a socket),
/// unreadable, or over its size cap; the message names the path and what was expected.
/// </summary>
public sealed class InputFileException(string path, string problem) : IOException($"{path}: {problem}")
{
    public string Path { get; } = path;

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; } = problem;
}
