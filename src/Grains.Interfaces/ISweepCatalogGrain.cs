using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces;

/// <summary>Every sweep submitted to the cluster (key 0), for `sweep list`.</summary>
[Alias("sweeps.sweep-catalog")]
public interface ISweepCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(SweepSummary sweep);

    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> List();
}
