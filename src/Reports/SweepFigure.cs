using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// A sweep's figure, one panel per task (or per task and searched setting): a task whose cells were searched over some
/// settings is drawn against each of them (<see cref="SearchPlot"/>), any other against the keep fraction (<see cref="MetricPlot"/>).
/// `sweep plot` writes it; the web pages serve it.
/// </summary>
public static class SweepFigure
{
    public static IReadOnlyList<Plot> Panels(SweepResults results) =>
        ResultsWriter.Panels(results)
            .SelectMany(panel => SearchedSettings.Of(panel.Cells) is { Count: > 0 } searched ? SearchPlot.Panels(panel, searched) : [MetricPlot.Panel(panel)])
            .ToList();
}
