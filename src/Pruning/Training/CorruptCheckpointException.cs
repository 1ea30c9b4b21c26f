namespace Sweeps.Pruning.Training;

/// <summary>A checkpoint whose checksum or structure does not hold; the message names the file and what failed.</summary>
public sealed class CorruptCheckpointException(string path, string problem) : Exception($"{path}: corrupt checkpoint: {problem}")
{
    public string Path { get; } = path;
}
