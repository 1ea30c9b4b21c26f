using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces;

/// <summary>
/// Every sweep submitted to the cluster (key 0) with its counts as each sweep reports them, so `sweep list` and the
/// pages list sweeps without activating any of them.
/// </summary>
[Alias("sweeps.sweep-catalog")]
public interface ISweepCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(SweepSummary sweep);

    /// <summary>A sweep's trials by state and its collapsed trials (kept in memory; stored when it finished, and at most every few seconds otherwise).</summary>
    [Alias("Report")]
    Task Report(string sweepId, Dictionary<TrialState, int> counts, int collapsed, bool finished);

    [Alias("List")]
    Task<IReadOnlyList<SweepSummary>> List();
}
