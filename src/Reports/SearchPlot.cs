using System.Globalization;
using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// A search's picture, drawn with ScottPlot: per task and searched setting, the dev metric of every configuration
/// against the setting's value (log scale when its values span more than a factor of 20), a colour per method (± KD)
/// and keep fraction. A filled circle ran to its last step, an open one was stopped early (its best evaluation before
/// the stop), a cross collapsed to one class; configurations with several seeds carry ± std error bars. The best
/// configuration of each colour is boxed and named in the legend.
/// </summary>
public static class SearchPlot
{
    public static IEnumerable<Plot> Panels(ResultsPanel panel, IReadOnlyList<string> settings) => settings.Select(s => Panel(panel, s));

    private static Plot Panel(ResultsPanel panel, string setting)
    {
        var plot = new Plot();
        var metric = panel.Metrics[0];
        var cells = panel.Cells.Where(c => SearchedSettings.Value(c, setting) is not null && c.Metric(metric) is not null).ToList();
        var values = cells.Select(c => SearchedSettings.Value(c, setting)!.Value).ToList();
        var logX = values.Min() > 0 && values.Max() / values.Min() > 20;
        double X(ResultCell cell) => SearchedSettings.Value(cell, setting)!.Value is var v && logX ? Math.Log10(v) : v;

        var colour = 0;
        foreach (var series in cells.GroupBy(c => (c.MethodLabel, c.Keep)).OrderBy(g => g.Key.MethodLabel, StringComparer.Ordinal).ThenByDescending(g => g.Key.Keep))
        {
            var color = plot.Add.Palette.GetColor(colour++);
            var points = series.OrderBy(X).ToList();
            var spread = points.Where(c => c.Metric(metric)!.Std is not null).ToList();
            if (spread.Count > 0)
            {
                var bars = plot.Add.ErrorBar(spread.Select(X).ToArray(), spread.Select(c => c.Metric(metric)!.Mean).ToArray(), spread.Select(c => c.Metric(metric)!.Std!.Value).ToArray());
                bars.Color = color;
            }
            foreach (var cell in points)
                plot.Add.Marker(X(cell), cell.Metric(metric)!.Mean, Shape(cell), 9, color);
            var best = points.MaxBy(c => c.Metric(metric)!.Mean)!;
            plot.Add.Marker(X(best), best.Metric(metric)!.Mean, MarkerShape.OpenSquare, 18, color);
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = $"{series.Key.MethodLabel}, keep {series.Key.Keep * 100:0.#}% ({points.Count}; best "
                    + string.Create(CultureInfo.InvariantCulture, $"{best.Metric(metric)!.Mean:F4} at {SearchedSettings.Value(best, setting):G4})"),
                LabelFontName = FigureFile.Font, MarkerShape = MarkerShape.FilledCircle, MarkerSize = 10, MarkerColor = color, LineWidth = 0, MarkerLineWidth = 1.5f,
            });
        }
        foreach (var (shape, text) in new[]
        {
            (MarkerShape.FilledCircle, "ran to its last step"),
            (MarkerShape.OpenCircle, "stopped early (best evaluation before the stop)"),
            (MarkerShape.Eks, "collapsed to one class"),
            (MarkerShape.OpenSquare, "the best of its colour"),
        }.Where(s => s.Item1 == MarkerShape.OpenSquare || cells.Any(c => Shape(c) == s.Item1)))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = text, LabelFontName = FigureFile.Font, MarkerShape = shape, MarkerSize = 10, MarkerColor = Colors.Gray, LineWidth = 0, MarkerLineWidth = 1.5f });

        if (logX)
        {
            // Ticks at 1, 2 and 5 times the powers of ten the values reach, labelled with the value rather than its logarithm.
            var (low, high) = (values.Min() / 1.2, values.Max() * 1.2);
            var ticks = Enumerable.Range((int)Math.Floor(Math.Log10(low)), (int)Math.Ceiling(Math.Log10(high)) - (int)Math.Floor(Math.Log10(low)) + 1)
                .SelectMany(d => new[] { 1.0, 2.0, 5.0 }.Select(m => m * Math.Pow(10, d)))
                .Where(v => v >= low && v <= high).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                ticks.Select(Math.Log10).ToArray(), ticks.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)).ToArray());
        }
        var means = cells.Select(c => c.Metric(metric)!).ToList();
        MetricAxis.Fit(plot, means.Min(m => m.Mean - (m.Std ?? 0)), means.Max(m => m.Mean + (m.Std ?? 0)));
        plot.Title($"{panel.Task}: dev {metric} vs {setting} ({cells.Count} configurations)");
        plot.XLabel(logX ? $"{setting} (log scale)" : setting);
        plot.YLabel($"dev {metric}");
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Bottom); // beside the data it would narrow the panel until the title no longer fits
        return plot;
    }

    /// <summary>Collapse shows first (a collapsed trial's metric is the majority class's), then an early stop.</summary>
    private static MarkerShape Shape(ResultCell cell) =>
        cell.Collapsed > 0 ? MarkerShape.Eks : cell.Stopped == cell.N ? MarkerShape.OpenCircle : MarkerShape.FilledCircle;
}
