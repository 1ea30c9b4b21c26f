using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Metrics;

/// <summary>What a sweep grain last published for the metrics: trial counts by state, queue depth, finished trials.</summary>
/// <param name="Select">Which evaluation of each trial its result cells summarise.</param>
public sealed record SweepSnapshot(
    string SweepId,
    IReadOnlyDictionary<TrialState, int> TrialsByState,
    int QueueDepth,
    IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> Finished,
    MetricSelection Select = MetricSelection.Best)
{
    private readonly Lazy<IReadOnlyList<ResultCell>> cells = new(() => ResultCells.From(Finished, Select));

    /// <summary>The sweep's result cells (mean ± std over seeds), computed when first read: at a scrape, not at every state write.</summary>
    public IReadOnlyList<ResultCell> Cells => cells.Value;
}
