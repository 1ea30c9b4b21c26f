using ScottPlot;

namespace Sweeps.Reports;

/// <summary>
/// The vertical range of a metric's plot: what the values span, with a margin. ScottPlot's automatic range spreads a
/// single value or a flat line over two units (−0.6 to 1.6 for an accuracy of 0.5), which reads as a scale error.
/// </summary>
public static class MetricAxis
{
    /// <summary>Fits the left axis to [<paramref name="low"/>, <paramref name="high"/>], with 8% of the span (at least 0.02) on each side.</summary>
    public static void Fit(Plot plot, double low, double high)
    {
        if (double.IsNaN(low) || double.IsNaN(high)) return;
        var margin = Math.Max(0.08 * (high - low), 0.02);
        plot.Axes.SetLimitsY(low - margin, high + margin);
    }
}
