using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Trials;

/// <summary>The sweep's summary of an engine result.</summary>
public static class TrialOutcomes
{
    public static TrialOutcome From(TrialResult result) => new(
        result.DevMetrics.ToList(),
        result.AchievedKeepFraction,
        result.Steps,
        result.ResumedFromStep,
        result.WallTime.TotalSeconds,
        result.TokensPerSecond,
        result.MaskBytes)
    {
        FinalMetrics = result.FinalMetrics.ToList(),
        BestStep = result.BestStep,
        Collapsed = result.Collapsed,
        FinalCollapsed = result.FinalCollapsed,
        EvaluationSeconds = result.EvaluationSeconds,
        TrainingSeconds = result.TrainingSeconds,
        StoppedAtStep = result.StoppedAtStep,
        Curve = result.Evaluations.Select(e => new EvaluationPoint(e.Step, e.Metrics.ToList(), e.Collapsed) { MaskChurn = e.MaskChurn }).ToList(),
        CollapsedAtStep = result.CollapsedAtStep,
        ChurnAtCollapse = result.ChurnAtCollapse,
    };
}
