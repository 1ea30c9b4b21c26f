using System.Collections.Concurrent;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;

namespace Sweeps.Web;

/// <summary>
/// The setting importances of a sweep's searched tasks, computed once per set of results: a page re-renders every few
/// seconds while it is open, and fitting the forest again each time would cost a core for nothing new.
/// </summary>
public static class ImportanceMemo
{
    private const int Kept = 64;
    private static readonly ConcurrentDictionary<(string Sweep, MetricSelection Select, int Results), IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, double>>>> Memo = new();

    /// <summary>Per task with searched settings, their importances (<see cref="SettingImportance"/>).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, double>>> Of(SweepResults results, IReadOnlyList<ResultsPanel> searched)
    {
        var key = (results.SweepId, results.Select, results.Cells.Sum(c => c.N));
        if (Memo.TryGetValue(key, out var known)) return known;
        if (Memo.Count >= Kept) Memo.Clear();
        return Memo[key] = searched.ToDictionary(p => p.Task, SettingImportance.Of);
    }
}
