using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces.Results;

/// <summary>
/// A sweep's result cells, as `sweep results`, `sweep plot` and the pages show them: served by the sweep from the
/// results it keeps as they arrive, without its trials (see <see cref="ISweepGrain.GetResults"/>).
/// </summary>
/// <param name="Select">Which evaluation of each trial the cells summarise.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepResults")]
public sealed record SweepResults(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] MetricSelection Select,
    [property: Id(3)] IReadOnlyList<ResultCell> Cells)
{
    /// <summary>The cells of a whole status (where the trials are read anyway).</summary>
    public static SweepResults Of(SweepStatus status) => new(status.SweepId, status.Name, status.Select, ResultCells.From(status.Finished, status.Select));
}
