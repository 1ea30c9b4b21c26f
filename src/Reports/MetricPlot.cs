using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// The paper's picture, drawn with ScottPlot: per task, the dev metric against the keep fraction (log scale when it
/// spans more than a factor of 4), one line per method (± KD) through each cell's mean over its seeds with ± one
/// standard deviation as error bars; dense fine-tuning as a horizontal line with its ± std band. Cells where a seed
/// collapsed to one class are marked with a cross, and the legend counts them.
/// </summary>
public static class MetricPlot
{
    /// <summary>The panel of one task.</summary>
    public static Plot Panel(ResultsPanel panel)
    {
        var plot = new Plot();
        var metric = panel.Metrics[0];
        var sparse = panel.Keeps.Where(k => k < 1).ToList();
        var keeps = sparse.Count > 0 ? sparse : panel.Keeps.ToList();
        var logX = keeps.Max() / keeps.Min() > 4;
        double X(double keep) => logX ? Math.Log10(keep) : keep;

        // Rows at the same keep fraction are set a little apart, so that their error bars do not hide one another.
        var span = keeps.Count > 1 ? X(keeps.Max()) - X(keeps.Min()) : 1;
        var curves = panel.Rows.Count(r => panel.Cells.Any(c => c.Row == r && c.Keep < 1));
        var curve = 0;
        var colour = 0;
        var anyCollapsed = false;
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity); // what the means and their error bars span
        foreach (var row in panel.Rows)
        {
            var cells = panel.Cells.Where(c => c.Row == row && c.Metric(metric) is not null).OrderBy(c => c.Keep).ToList();
            var color = plot.Add.Palette.GetColor(colour++);
            if (cells.All(c => c.Keep >= 1) && sparse.Count > 0)
            {
                // Dense keeps everything: a reference level across the keep fractions rather than a point at 100%.
                var stats = cells[0].Metric(metric)!;
                if (stats.Std is { } spread)
                {
                    var band = plot.Add.VerticalSpan(stats.Mean - spread, stats.Mean + spread);
                    band.FillStyle.Color = color.WithAlpha(0.15);
                    band.LineStyle.Width = 0;
                }
                (low, high) = (Math.Min(low, stats.Mean - (stats.Std ?? 0)), Math.Max(high, stats.Mean + (stats.Std ?? 0)));
                var line = plot.Add.HorizontalLine(stats.Mean, 2, color, LinePattern.Dashed);
                line.LegendText = $"{row} (n={cells[0].N}" + (cells[0].Collapsed > 0 ? $"; collapsed {cells[0].Collapsed} of {cells[0].N})" : ")");
                continue;
            }
            var offset = (curve++ - (curves - 1) / 2.0) * 0.012 * span;
            var xs = cells.Select(c => X(c.Keep) + offset).ToArray();
            var ys = cells.Select(c => c.Metric(metric)!.Mean).ToArray();
            var errors = cells.Select(c => c.Metric(metric)!.Std ?? 0).ToArray();
            if (ys.Length > 0) (low, high) = (Math.Min(low, ys.Zip(errors, (y, e) => y - e).Min()), Math.Max(high, ys.Zip(errors, (y, e) => y + e).Max()));
            var bars = plot.Add.ErrorBar(xs, ys, errors);
            bars.Color = color;
            var scatter = plot.Add.Scatter(xs, ys, color);
            scatter.LineWidth = 2;
            scatter.MarkerSize = 8;
            var collapsed = cells.Where(c => c.Collapsed > 0).ToList();
            foreach (var cell in collapsed)
                plot.Add.Marker(X(cell.Keep) + offset, cell.Metric(metric)!.Mean, MarkerShape.Eks, 16, color);
            scatter.LegendText = $"{row} (n={cells.Max(c => c.N)}"
                + (collapsed.Count > 0 ? $"; collapsed {collapsed.Sum(c => c.Collapsed)} of {cells.Sum(c => c.N)})" : ")");
            anyCollapsed |= collapsed.Count > 0;
        }
        if (anyCollapsed)
            plot.Legend.ManualItems.Add(new LegendItem
            {
                LabelText = "a seed collapsed to one class", LabelFontName = FigureFile.Font, MarkerShape = MarkerShape.Eks, MarkerSize = 12, MarkerColor = Colors.Gray, MarkerLineWidth = 1.5f,
            });

        var ticks = keeps.Select(k => (Position: X(k), Label: $"{k * 100:0.#}%")).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.Select(t => t.Position).ToArray(), ticks.Select(t => t.Label).ToArray());
        var margin = keeps.Count > 1 ? span * 0.12 : 0.1;
        plot.Axes.SetLimitsX(X(keeps.Min()) - margin, X(keeps.Max()) + margin);
        if (low <= high) MetricAxis.Fit(plot, low, high);
        plot.Title($"{panel.Task}: dev {metric} vs keep fraction (mean ± std over seeds)");
        plot.XLabel(logX ? "keep fraction (log scale)" : "keep fraction");
        plot.YLabel($"dev {metric}");
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
