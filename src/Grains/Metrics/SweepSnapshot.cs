using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Metrics;

/// <summary>What a sweep grain last published for the metrics: trial counts by state, queue depth, its result cells.</summary>
/// <param name="ReadCells">The sweep's result cells (mean ± std over seeds), read when first asked for: at a scrape, not at every state write.</param>
public sealed record SweepSnapshot(
    string SweepId,
    IReadOnlyDictionary<TrialState, int> TrialsByState,
    int QueueDepth,
    Func<IReadOnlyList<ResultCell>> ReadCells)
{
    private readonly Lazy<IReadOnlyList<ResultCell>> cells = new(ReadCells);

    /// <summary>The sweep's result cells, read once per snapshot.</summary>
    public IReadOnlyList<ResultCell> Cells => cells.Value;
}
