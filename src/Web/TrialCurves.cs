using ScottPlot;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Reports;

namespace Sweeps.Web;

/// <summary>
/// A trial's curves, drawn with ScottPlot: the training loss and the masks' keep fraction against the step (keep on the
/// right axis), and every dev metric against the step with the best evaluation marked, with the masks' churn at each
/// evaluation (right axis) where the trial has masks.
/// </summary>
public static class TrialCurves
{
    public const int PanelHeight = 340;

    /// <param name="trace">Loss and keep by step: the running attempt's trace, or the finished result's loss curve.</param>
    public static IReadOnlyList<Plot> Panels(IReadOnlyList<TracePoint> trace, IReadOnlyList<EvaluationPoint> curve, int? bestStep)
    {
        var panels = new List<Plot>();
        if (trace.Count > 0) panels.Add(LossAndKeep(trace));
        if (curve.Count > 0) panels.Add(Dev(curve, bestStep));
        return panels;
    }

    private static Plot LossAndKeep(IReadOnlyList<TracePoint> trace)
    {
        var plot = new Plot();
        var steps = trace.Select(p => (double)p.Step).ToArray();
        var loss = plot.Add.Scatter(steps, trace.Select(p => p.Loss).ToArray());
        loss.LegendText = "training loss (recent mean)";
        // A short run has a few points: marked, or a curve of one point would not show at all.
        loss.MarkerSize = trace.Count < 30 ? 6 : 0;
        loss.LineWidth = 2;
        var withKeep = trace.Where(p => !double.IsNaN(p.Keep)).ToList();
        if (withKeep.Count > 0)
        {
            var keep = plot.Add.Scatter(withKeep.Select(p => (double)p.Step).ToArray(), withKeep.Select(p => p.Keep * 100).ToArray());
            keep.LegendText = "keep fraction (%)";
            keep.MarkerSize = trace.Count < 30 ? 6 : 0;
            keep.LineWidth = 2;
            keep.LinePattern = LinePattern.Dashed;
            keep.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "keep (%)";
            plot.Axes.SetLimitsY(0, 105, plot.Axes.Right);
        }
        plot.Title("training loss and keep fraction by step");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static Plot Dev(IReadOnlyList<EvaluationPoint> curve, int? bestStep)
    {
        var plot = new Plot();
        var names = curve.SelectMany(c => c.Metrics.Select(m => m.Key)).Distinct().ToList();
        foreach (var name in names)
        {
            var points = curve.Where(c => c.Metric(name) is not null).OrderBy(c => c.Step).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.Metric(name)!.Value).ToArray());
            line.LegendText = $"dev {name}";
            line.LineWidth = 2;
            line.MarkerSize = 7;
            foreach (var collapsed in points.Where(p => p.Collapsed))
                plot.Add.Marker(collapsed.Step, collapsed.Metric(name)!.Value, MarkerShape.Eks, 14, line.Color);
            if (points.FirstOrDefault(p => p.Step == bestStep) is { } best)
                plot.Add.Marker(best.Step, best.Metric(name)!.Value, MarkerShape.OpenSquare, 16, line.Color);
        }
        AddChurn(plot, curve);
        if (curve.Any(c => c.Collapsed))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "collapsed to one class", LabelFontName = FigureFile.Font, MarkerShape = MarkerShape.Eks, MarkerSize = 10, MarkerColor = Colors.Gray, LineWidth = 0, MarkerLineWidth = 1.5f });
        if (bestStep is not null)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "best evaluation (the result)", LabelFontName = FigureFile.Font, MarkerShape = MarkerShape.OpenSquare, MarkerSize = 10, MarkerColor = Colors.Gray, LineWidth = 0, MarkerLineWidth = 1.5f });
        plot.Title(curve.Any(c => c.MaskChurn is not null) ? "dev evaluations and mask churn by step" : "dev evaluations by step");
        plot.XLabel("step");
        plot.YLabel("dev metric");
        plot.Font.Set(FigureFile.Font);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    // Beside the metrics it explains: masks still being redrawn at each evaluation, or settled. A fraction, on the right
    // axis, as the metrics' own range (a regression's correlation may be negative) is not its range.
    private static void AddChurn(Plot plot, IReadOnlyList<EvaluationPoint> curve)
    {
        var points = curve.Where(c => c.MaskChurn is not null).OrderBy(c => c.Step).ToList();
        if (points.Count == 0) return;
        var churn = plot.Add.Scatter(points.Select(p => (double)p.Step).ToArray(), points.Select(p => p.MaskChurn!.Value * 100).ToArray());
        churn.LegendText = "mask churn since the evaluation before (%)";
        churn.LineWidth = 2;
        churn.MarkerSize = 7;
        churn.LinePattern = LinePattern.Dashed;
        churn.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "mask churn (%)";
        // From 0, up to the largest churn: a settled ranking's churn of a fraction of a percent would be flat on 0–100.
        plot.Axes.SetLimitsY(0, Math.Max(1, points.Max(p => p.MaskChurn!.Value) * 110), plot.Axes.Right);
    }
}
