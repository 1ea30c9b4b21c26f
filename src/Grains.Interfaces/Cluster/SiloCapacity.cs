namespace Sweeps.Grains.Interfaces.Cluster;

/// <summary>A silo's advertised device slots: its pool, its devices, and the trials holding leases now.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.SiloCapacity")]
public sealed record SiloCapacity(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] string Pool,
    [property: Id(2)] IReadOnlyList<string> Devices,
    [property: Id(3)] IReadOnlyList<string> LeasedTrials);
