using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Every trial of a sweep that has a result, in the order they got it, kept as what result cells read and no more: the
/// best and the final evaluation's metric values (their names shared by the trials of a task), the achieved keep,
/// whether each collapsed and whether early stopping ended it. A sweep of 100,000 trials holds 100,000 of these, so
/// each is a few dozen bytes rather than the trial's whole outcome. Appended on the sweep's turn; <see cref="Cells"/>
/// may be read from another thread (a scrape, a read off the turn), and reads only entries complete when it began.
/// </summary>
public sealed class FinishedResults(IReadOnlyList<TrialSpec> trials)
{
    private readonly List<Entry> entries = [];
    private readonly Dictionary<string, string[]> names = [];
    private readonly Lock cellsLock = new();
    /// <summary>Per selection, the cells last computed and the number of results they summarise.</summary>
    private readonly Dictionary<MetricSelection, (int Count, IReadOnlyList<ResultCell> Cells)> lastCells = [];

    public void Add(int trialIndex, TrialOutcome outcome)
    {
        var best = outcome.Metrics;
        // Final metrics named as the best ones (always, for results of this engine); else the best stand in, as an outcome without final metrics reads.
        var final = outcome.FinalMetrics is { } f && f.Select(m => m.Key).SequenceEqual(best.Select(m => m.Key)) ? f.Select(m => m.Value).ToArray() : null;
        var key = string.Join('\t', best.Select(m => m.Key));
        if (!names.TryGetValue(key, out var shared)) names[key] = shared = best.Select(m => m.Key).ToArray();
        entries.Add(new Entry(trialIndex, shared, best.Select(m => m.Value).ToArray(), final, outcome.AchievedKeepFraction,
            outcome.Collapsed, outcome.FinalCollapsed, outcome.StoppedAtStep));
    }

    /// <summary>The result cells under <paramref name="select"/>, computed again only when results arrived since the last time.</summary>
    public IReadOnlyList<ResultCell> Cells(MetricSelection select)
    {
        var count = entries.Count;
        lock (cellsLock)
        {
            if (lastCells.TryGetValue(select, out var last) && last.Count == count) return last.Cells;
            var cells = ResultCells.From(Read(count), select);
            lastCells[select] = (count, cells);
            return cells;
        }
    }

    // Each result as a (spec, outcome) pair with what the cells read: best and final metrics, collapse flags, achieved
    // keep, early stop. The list only grows and an entry is never written again, so the first `count` stay valid.
    private IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> Read(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = entries[i];
            yield return (trials[e.TrialIndex], new TrialOutcome(Pairs(e.Names, e.Best), e.AchievedKeep, 0, 0, 0, 0, 0)
            {
                FinalMetrics = e.Final is null ? null : Pairs(e.Names, e.Final), Collapsed = e.Collapsed, FinalCollapsed = e.FinalCollapsed, StoppedAtStep = e.StoppedAtStep,
            });
        }
    }

    private static List<KeyValuePair<string, double>> Pairs(string[] names, double[] values) =>
        names.Zip(values, (n, v) => new KeyValuePair<string, double>(n, v)).ToList();

    private readonly record struct Entry(int TrialIndex, string[] Names, double[] Best, double[]? Final, double AchievedKeep, bool Collapsed, bool FinalCollapsed, int? StoppedAtStep);
}
