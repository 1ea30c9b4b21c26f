using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>
/// A sweep's trials counted the way `sweep list` and the pages show them: done counts reused trials too, collapsed
/// counts finished trials whose selected evaluation predicted one class.
/// </summary>
public static class SweepCounts
{
    public static readonly string[] Names = ["done", "running", "queued", "failed", "collapsed", "stopped", "cancelled"];

    /// <summary>The counts in the order of <see cref="Names"/>.</summary>
    public static IReadOnlyList<int> Of(SweepStatus status) =>
    [
        status.Count(TrialState.Done) + status.Count(TrialState.Reused), status.Count(TrialState.Running), status.Count(TrialState.Queued),
        status.Count(TrialState.Failed), status.Finished.Count(f => f.Outcome.SelectedCollapsed(status.Select)), status.Count(TrialState.Stopped),
        status.Count(TrialState.Cancelled),
    ];
}
