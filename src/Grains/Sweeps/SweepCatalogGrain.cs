using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Every sweep submitted to the cluster, newest last, with the counts each sweep last reported; stored like the sweeps
/// themselves. A report is stored at once when its sweep finished (an old sweep is then listed from here for good), and
/// otherwise with the next write at least <see cref="StoreEvery"/> after the last: a running sweep reports again.
/// </summary>
public sealed class SweepCatalogGrain([PersistentState("catalog", SweepGrain.StorageName)] IPersistentState<List<SweepSummary>> sweeps, TimeProvider time)
    : Grain, ISweepCatalogGrain
{
    public static readonly TimeSpan StoreEvery = TimeSpan.FromSeconds(10);

    private DateTimeOffset stored = DateTimeOffset.MinValue;
    /// <summary>A report is held in memory only, waiting for the next store.</summary>
    private bool pending;

    public async Task Add(SweepSummary sweep)
    {
        if (sweeps.State.Any(s => s.SweepId == sweep.SweepId)) return;
        sweeps.State.Add(sweep);
        await Store();
    }

    public async Task Report(string sweepId, Dictionary<TrialState, int> counts, int collapsed, bool finished)
    {
        var index = sweeps.State.FindIndex(s => s.SweepId == sweepId);
        if (index < 0) return;
        var before = sweeps.State[index];
        // A finished sweep's total is the trials it had: a search whose space ran out proposed fewer than it planned.
        var total = finished ? counts.Values.Sum() : before.Trials;
        if (before.Collapsed == collapsed && before.Trials == total && before.Counts is { } known && known.Count == counts.Count && !known.Except(counts).Any()) return;
        sweeps.State[index] = before with { Trials = total, Counts = new Dictionary<TrialState, int>(counts), Collapsed = collapsed };
        pending = true;
        if (finished || time.GetUtcNow() - stored >= StoreEvery) await Store();
    }

    public Task<IReadOnlyList<SweepSummary>> List() => Task.FromResult<IReadOnlyList<SweepSummary>>(sweeps.State.ToList());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (pending) await Store();
    }

    private async Task Store()
    {
        await sweeps.WriteStateAsync();
        stored = time.GetUtcNow();
        pending = false;
    }
}
