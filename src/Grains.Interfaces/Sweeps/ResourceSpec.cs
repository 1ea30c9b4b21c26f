namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>What each trial asks of the cluster: a device pool label and how many devices.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.ResourceSpec")]
public sealed record ResourceSpec([property: Id(0)] string Pool, [property: Id(1)] int DevicesPerTrial)
{
    /// <summary>
    /// The most memory a trial's worker may use, in bytes (<c>resources.memory</c>); past it the attempt ends as out of
    /// memory. Null: the silo's default (<c>Sweeps:Worker:Memory</c>). Not part of a trial's id: it changes no result.
    /// </summary>
    [Id(2)] public long? MemoryBytes { get; init; }
}
