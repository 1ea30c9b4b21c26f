using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces;

/// <summary>Every sweep submitted to the cluster (key 0), for `sweep list`.</summary>
public interface ISweepCatalogGrain : IGrainWithIntegerKey
{
    Task Add(SweepSummary sweep);

    Task<IReadOnlyList<SweepSummary>> List();
}
