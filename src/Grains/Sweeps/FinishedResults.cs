using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Every trial of a sweep that has a result, in the order they got it, kept as what the metrics' result cells read and
/// no more: the selected evaluation's metric values (their names shared by the trials of a task), the achieved keep,
/// whether it collapsed and whether early stopping ended it. A sweep of 100,000 trials holds 100,000 of these, so each
/// is a few dozen bytes rather than the trial's whole outcome. Appended on the sweep's turn; a <see cref="View"/> is
/// read at scrape time from another thread, and reads only entries that were complete when it was taken.
/// </summary>
public sealed class FinishedResults(IReadOnlyList<TrialSpec> trials, MetricSelection select)
{
    private readonly List<Entry> entries = [];
    private readonly Dictionary<string, string[]> names = [];

    public int Count => entries.Count;

    public void Add(int trialIndex, TrialOutcome outcome)
    {
        var metrics = outcome.SelectedMetrics(select);
        var key = string.Join('\t', metrics.Select(m => m.Key));
        if (!names.TryGetValue(key, out var shared)) names[key] = shared = metrics.Select(m => m.Key).ToArray();
        entries.Add(new Entry(trialIndex, shared, metrics.Select(m => m.Value).ToArray(), outcome.AchievedKeepFraction,
            outcome.SelectedCollapsed(select), outcome.StoppedAtStep));
    }

    /// <summary>
    /// The results so far as (spec, outcome) pairs, built as they are read: each outcome carries only the selected
    /// evaluation (as both its best and its final metrics), which is all the result cells read.
    /// </summary>
    public IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> View() => Read(entries.Count);

    // The list only grows and an entry is never written again, so the first `count` stay valid however it grows.
    private IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> Read(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = entries[i];
            yield return (trials[e.TrialIndex], new TrialOutcome(e.Names.Zip(e.Values, (n, v) => new KeyValuePair<string, double>(n, v)).ToList(), e.AchievedKeep, 0, 0, 0, 0, 0)
            {
                Collapsed = e.Collapsed, FinalCollapsed = e.Collapsed, StoppedAtStep = e.StoppedAtStep,
            });
        }
    }

    private readonly record struct Entry(int TrialIndex, string[] Names, double[] Values, double AchievedKeep, bool Collapsed, int? StoppedAtStep);
}
