namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>What each trial asks of the cluster: a device pool label and how many devices.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.ResourceSpec")]
public sealed record ResourceSpec([property: Id(0)] string Pool, [property: Id(1)] int DevicesPerTrial);
