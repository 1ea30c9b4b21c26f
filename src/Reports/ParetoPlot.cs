using System.Globalization;
using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// The trade-off of accuracy against size, per task: every configuration's dev metric (mean over seeds) against the keep
/// its masks achieved, the Pareto front drawn as the staircase that bounds what it dominates, each point on it named,
/// and the hypervolume with its reference point in the title.
/// </summary>
public static class ParetoPlot
{
    public static IReadOnlyList<Plot> Panels(IReadOnlyList<ResultCell> cells) =>
        ParetoFront.Of(cells).Select(group => Panel(group, cells.Where(c => c.Task == group.Task && c.Metric(group.Metric) is not null).ToList())).ToList();

    private static Plot Panel(ParetoGroup group, IReadOnlyList<ResultCell> cells)
    {
        var plot = new Plot();
        var others = cells.Where(c => !group.Front.Contains(c)).ToList();
        if (others.Count > 0)
        {
            var rest = plot.Add.ScatterPoints(others.Select(c => c.AchievedKeep.Mean).ToArray(), others.Select(c => c.Metric(group.Metric)!.Mean).ToArray(), Colors.Gray);
            rest.MarkerSize = 7;
            rest.LegendText = $"dominated ({others.Count})";
        }
        // The staircase: from each point on the front across to the next one's keep (the reference keep after the last), then up to it.
        var (xs, ys) = (new List<double>(), new List<double>());
        for (var i = 0; i < group.Front.Count; i++)
        {
            var (keep, score) = (group.Front[i].AchievedKeep.Mean, group.Front[i].Metric(group.Metric)!.Mean);
            xs.Add(keep);
            ys.Add(score);
            xs.Add(i + 1 < group.Front.Count ? group.Front[i + 1].AchievedKeep.Mean : ParetoFront.Reference.Keep);
            ys.Add(score);
        }
        var stairs = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), Colors.Red);
        stairs.LineWidth = 2;
        stairs.LinePattern = LinePattern.Dashed;
        var front = plot.Add.ScatterPoints(group.Front.Select(c => c.AchievedKeep.Mean).ToArray(), group.Front.Select(c => c.Metric(group.Metric)!.Mean).ToArray(), Colors.Red);
        front.MarkerSize = 10;
        // Each point is named by its configuration where the front mixes several; one configuration at several keeps (a
        // search that samples keep) is named once, in the legend, rather than on every point.
        var rows = group.Front.Select(c => c.Row).Distinct().ToList();
        front.LegendText = rows.Count == 1 ? $"Pareto front ({group.Front.Count}): {rows[0]}" : $"Pareto front ({group.Front.Count})";
        foreach (var cell in rows.Count == 1 ? [] : group.Front)
        {
            var label = plot.Add.Text(cell.Row, cell.AchievedKeep.Mean, cell.Metric(group.Metric)!.Mean);
            label.LabelFontSize = 11;
            label.LabelFontName = FigureFile.Font;
            label.LabelAlignment = Alignment.LowerLeft;
            label.OffsetY = -4;
        }
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"{group.Task}: dev {group.Metric} vs keep achieved; hypervolume {group.Hypervolume:F4} (reference: keep 100%, {group.Metric} 0)"));
        plot.XLabel("keep fraction the masks achieved (mean over seeds)");
        plot.YLabel($"dev {group.Metric} (mean over seeds)");
        plot.Axes.SetLimitsX(0, 1.05);
        var scores = cells.Select(c => c.Metric(group.Metric)!.Mean).ToList();
        MetricAxis.Fit(plot, scores.Min(), scores.Max());
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Bottom); // beside the data it would narrow the panel until the title no longer fits
        return plot;
    }
}
