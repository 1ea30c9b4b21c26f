using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>Every sweep submitted to the cluster, newest last; stored like the sweeps themselves.</summary>
public sealed class SweepCatalogGrain([PersistentState("catalog", SweepGrain.StorageName)] IPersistentState<List<SweepSummary>> sweeps)
    : Grain, ISweepCatalogGrain
{
    public async Task Add(SweepSummary sweep)
    {
        if (sweeps.State.Any(s => s.SweepId == sweep.SweepId)) return;
        sweeps.State.Add(sweep);
        await sweeps.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepSummary>> List() => Task.FromResult<IReadOnlyList<SweepSummary>>(sweeps.State.ToList());
}
