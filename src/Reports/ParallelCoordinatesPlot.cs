using System.Globalization;
using ScottPlot;
using Sweeps.Grains.Interfaces.Results;

namespace Sweeps.Reports;

/// <summary>
/// A search's settings against its objective, per task: a vertical axis per searched setting and one for the dev
/// metric, each configuration a line through its values, coloured from the worst (dark) to the best (bright) and the
/// best drawn last. Each axis runs from its lowest value to its highest (log scale where they span more than a factor
/// of 20), labelled at both ends. Where the bright lines gather on an axis, that setting mattered.
/// </summary>
public static class ParallelCoordinatesPlot
{
    public static Plot Panel(ResultsPanel panel, IReadOnlyList<string> settings)
    {
        var plot = new Plot();
        var metric = panel.Metrics[0];
        var cells = panel.Cells.Where(c => c.Metric(metric) is not null && settings.All(s => SearchedSettings.Value(c, s) is not null)).ToList();
        var axes = settings.Select(s => Axis.Of(s, cells.Select(c => SearchedSettings.Value(c, s)!.Value))).ToList();
        axes.Add(Axis.Of($"dev {metric}", cells.Select(c => c.Metric(metric)!.Mean), logAllowed: false));
        double Position(ResultCell cell, int axis) => axes[axis].Position(axis < settings.Count ? SearchedSettings.Value(cell, settings[axis])!.Value : cell.Metric(metric)!.Mean);

        var colormap = new ScottPlot.Colormaps.Viridis();
        var xs = Enumerable.Range(0, axes.Count).Select(i => (double)i).ToArray();
        foreach (var cell in cells.OrderBy(c => c.Metric(metric)!.Mean))
        {
            var line = plot.Add.ScatterLine(xs, Enumerable.Range(0, axes.Count).Select(a => Position(cell, a)).ToArray(), colormap.GetColor(axes[^1].Position(cell.Metric(metric)!.Mean)));
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        for (var a = 0; a < axes.Count; a++)
        {
            plot.Add.VerticalLine(a, 1, Colors.Black);
            foreach (var (y, text, alignment) in new[] { (0.0, axes[a].Low, Alignment.UpperCenter), (1.0, axes[a].High, Alignment.LowerCenter) })
            {
                var label = plot.Add.Text(text, a, y);
                label.LabelFontSize = 11;
                label.LabelFontName = FigureFile.Font;
                label.LabelAlignment = alignment;
                label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, axes.Select(a => a.Name).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([], []);
        plot.Axes.SetLimits(-0.3, axes.Count - 0.7, -0.12, 1.12);
        plot.Title($"{panel.Task}: {cells.Count} configurations across their settings; colour by dev {metric}, best brightest");
        plot.Font.Set(FigureFile.Font);
        return plot;
    }

    /// <summary>One vertical axis: its name (with "log" when log-scaled) and where a value lies on it, from 0 (lowest) to 1.</summary>
    private sealed record Axis(string Name, string Low, string High, Func<double, double> Position)
    {
        public static Axis Of(string name, IEnumerable<double> values, bool logAllowed = true)
        {
            var list = values.ToList();
            var (unit, log) = logAllowed ? SearchedSettings.UnitScale(list) : LinearScale(list);
            return new Axis(log ? $"{name} (log)" : name, list.Min().ToString("G4", CultureInfo.InvariantCulture), list.Max().ToString("G4", CultureInfo.InvariantCulture), unit);
        }

        // The metric's axis stays linear: its values are what the colours read.
        private static (Func<double, double>, bool) LinearScale(IReadOnlyList<double> values)
        {
            var (low, high) = (values.Min(), values.Max());
            return (v => high > low ? (v - low) / (high - low) : 0.5, false);
        }
    }
}
