namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>What each trial asks of the cluster: a device pool label and how many devices.</summary>
public sealed record ResourceSpec(string Pool, int DevicesPerTrial);
