namespace Sweeps.Grains.Interfaces.Cluster;

/// <summary>One silo's slots as the cluster's capacity view sees them.</summary>
/// <param name="Busy">Slots leased or reserved for a trial about to start there.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SlotUsage")]
public sealed record SlotUsage(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] string Pool,
    [property: Id(2)] int Slots,
    [property: Id(3)] int Busy);
