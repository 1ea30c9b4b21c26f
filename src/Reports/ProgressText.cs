using System.Globalization;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>How progress and outcomes read in the CLI and on the web pages: no NaN, collapsed trials said to be so.</summary>
public static class ProgressText
{
    /// <summary>The recent loss, or "–" before a trial has taken a step.</summary>
    public static string Loss(double loss) => double.IsFinite(loss) ? loss.ToString("F3", CultureInfo.InvariantCulture) : "–";

    /// <summary>"stopped at step 72 (collapsed)": a trial's state, where early stopping ended it, and whether its shown evaluation collapsed.</summary>
    public static string State(TrialStatus trial, MetricSelection select) =>
        trial.State.ToString().ToLowerInvariant() + (trial.Outcome?.StoppedAtStep is { } at ? $" at step {at}" : "")
        + (trial.Outcome?.SelectedCollapsed(select) == true ? " (collapsed)" : "");

    /// <summary>"accuracy 0.8812 @ 96": a trial's latest dev evaluation while it trains (its intermediate result); null before the first.</summary>
    public static string? LatestDev(TrialStatus trial) =>
        trial.Curve.LastOrDefault() is { Metrics: [var first, ..] } last
            ? string.Create(CultureInfo.InvariantCulture, $"{first.Key} {first.Value:F4} @ {last.Step}")
            : null;

    /// <summary>
    /// "first collapsed at step 128 (mask churn 3.1%)": where a trial whose shown evaluation collapsed first did so, and how
    /// much of its masks had changed since the evaluation before; null where the shown evaluation did not collapse.
    /// </summary>
    public static string? CollapseOnset(TrialOutcome outcome, MetricSelection select)
    {
        if (!outcome.SelectedCollapsed(select) || outcome.CollapsedAtStep is not { } step) return null;
        return $"first collapsed at step {step}" + (outcome.ChurnAtCollapse is { } churn ? string.Create(CultureInfo.InvariantCulture, $" (mask churn {churn * 100:0.0}%)") : "");
    }

    /// <summary>"accuracy 0.9349 (best @128, final 0.9301)", plus ", collapsed" where the shown evaluation predicted one class (unless the caller shows that itself).</summary>
    public static string Outcome(TrialOutcome outcome, MetricSelection select, bool sayCollapsed = true)
    {
        var shown = outcome.SelectedMetrics(select);
        if (shown.Count == 0) return "";
        var (name, value) = shown[0];
        var final = outcome.FinalMetrics?.FirstOrDefault(m => m.Key == name);
        var detail = select == MetricSelection.Best && final is { Key: not null } f && outcome.BestStep > 0
            ? string.Create(CultureInfo.InvariantCulture, $" (best @{outcome.BestStep}, final {f.Value:F4})")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{name} {value:F4}{detail}") + (sayCollapsed && outcome.SelectedCollapsed(select) ? ", collapsed" : "");
    }
}
