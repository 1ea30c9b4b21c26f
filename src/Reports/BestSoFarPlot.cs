using System.Globalization;
using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// How a search converged, per task: every configuration's dev metric in the order its first result arrived (dots,
/// crosses for collapsed ones), and the best so far as a step line, one colour per method (± KD) and keep fraction.
/// Two searches of one space compare by where their lines rise.
/// </summary>
public static class BestSoFarPlot
{
    public static Plot Panel(ResultsPanel panel)
    {
        var plot = new Plot();
        var metric = panel.Metrics[0];
        var colour = 0;
        // A search that samples the keep fraction is one line per method; otherwise a line per method and keep fraction.
        var keepSearched = SearchedSettings.OfSearch(panel.Cells).Contains(SearchedSettings.Keep);
        foreach (var series in panel.Cells.Where(c => c.Metric(metric) is not null).GroupBy(c => (c.MethodLabel, Keep: keepSearched ? double.NaN : c.Keep)))
        {
            var color = plot.Add.Palette.GetColor(colour++);
            var scores = series.Select(c => c.Metric(metric)!.Mean).ToArray();
            var order = Enumerable.Range(1, scores.Length).Select(i => (double)i).ToArray();
            var best = new double[scores.Length];
            for (var i = 0; i < scores.Length; i++) best[i] = i == 0 ? scores[0] : Math.Max(best[i - 1], scores[i]);
            var line = plot.Add.ScatterLine(order, best, color);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            var keep = double.IsNaN(series.Key.Keep) ? "keep searched" : string.Create(CultureInfo.InvariantCulture, $"keep {series.Key.Keep * 100:0.#}%");
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{series.Key.MethodLabel}, {keep}: best so far ({best[^1]:F4} after {scores.Length})");
            var cells = series.ToList();
            for (var i = 0; i < cells.Count; i++)
                plot.Add.Marker(order[i], scores[i], cells[i].Collapsed > 0 ? MarkerShape.Eks : MarkerShape.FilledCircle, 7, color.WithAlpha(0.6));
        }
        if (panel.Cells.Any(c => c.Collapsed > 0))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "collapsed to one class", LabelFontName = FigureFile.Font, MarkerShape = MarkerShape.Eks, MarkerSize = 9, MarkerColor = Colors.Gray, LineWidth = 0 });
        plot.Title($"{panel.Task}: dev {metric} of each configuration, in the order they finished, and the best so far");
        plot.XLabel("configurations finished");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.YLabel($"dev {metric}");
        var all = panel.Cells.Select(c => c.Metric(metric)?.Mean).OfType<double>().ToList();
        if (all.Count > 0) MetricAxis.Fit(plot, all.Min(), all.Max());
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }
}
