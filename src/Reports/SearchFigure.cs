using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// A search's analysis, per task whose cells were searched over some settings (<see cref="SearchedSettings.OfSearch"/>): how it
/// converged (<see cref="BestSoFarPlot"/>) and its settings against the metric (<see cref="ParallelCoordinatesPlot"/>).
/// The metric against each setting alone is <see cref="SearchPlot"/>'s, in the sweep's figure.
/// </summary>
public static class SearchFigure
{
    public static IReadOnlyList<Plot> Panels(SweepResults results) =>
        ResultsWriter.Panels(results)
            .SelectMany(panel => SearchedSettings.OfSearch(panel.Cells) is { Count: > 0 } searched
                ? new[] { BestSoFarPlot.Panel(panel), ParallelCoordinatesPlot.Panel(panel, searched) }
                : [])
            .ToList();
}
