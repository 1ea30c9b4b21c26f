using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Keeps the newest progress report of a running trial, with its dev evaluations so far; the heartbeat loop sends it on.</summary>
public sealed class LatestProgress : IProgress<TrialProgress>
{
    private volatile TrialProgressReport current = new(TrialPhase.Starting, 0, 0, double.NaN, 1, 0);
    private IReadOnlyList<EvaluationPoint> evaluations = [];

    public TrialProgressReport Current => current;

    public void Report(TrialProgress value)
    {
        // Preparation messages carry no step; keep the step counters of a resumed trial visible.
        var previous = current;
        var phase = Of(value.Phase);
        if (value.Evaluation is { } e) evaluations = [.. evaluations, new EvaluationPoint(e.Step, e.Metrics.ToList(), e.Collapsed)];
        current = value.Phase == TrainingPhase.Preparing
            ? previous with { Phase = phase }
            : new TrialProgressReport(phase, value.Step, value.TotalSteps, value.Loss, value.KeepFraction, value.TokensPerSecond) { Evaluations = evaluations };
    }

    private static TrialPhase Of(TrainingPhase phase) => phase switch
    {
        TrainingPhase.Preparing => TrialPhase.Preparing,
        TrainingPhase.Training => TrialPhase.Training,
        TrainingPhase.Evaluating => TrialPhase.Evaluating,
        TrainingPhase.Done => TrialPhase.Done,
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };
}
