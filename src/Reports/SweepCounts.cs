using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>
/// A sweep's trials counted the way `sweep list` and the pages show them: done counts reused trials too, collapsed
/// counts finished trials whose selected evaluation predicted one class.
/// </summary>
public static class SweepCounts
{
    public static readonly string[] Names = ["done", "running", "queued", "failed", "collapsed", "stopped", "cancelled"];

    /// <summary>The counts in the order of <see cref="Names"/>, from the sweep's summary.</summary>
    public static IReadOnlyList<int> Of(SweepProgress progress) => Of(progress.Counts, progress.Collapsed);

    /// <summary>The counts in the order of <see cref="Names"/>, from trials by state and the collapsed ones (what the catalog keeps).</summary>
    public static IReadOnlyList<int> Of(IReadOnlyDictionary<TrialState, int> byState, int collapsed)
    {
        int Count(TrialState state) => byState.GetValueOrDefault(state);
        return
        [
            Count(TrialState.Done) + Count(TrialState.Reused), Count(TrialState.Running), Count(TrialState.Queued), Count(TrialState.Failed), collapsed,
            Count(TrialState.Stopped), Count(TrialState.Cancelled),
        ];
    }

    /// <summary>The counts of a listed sweep, from what the catalog has; null where its sweep never reported them.</summary>
    public static IReadOnlyList<int>? Of(SweepSummary summary) => summary.Counts is { } counts ? Of(counts, summary.Collapsed) : null;
}
