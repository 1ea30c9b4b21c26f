using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>
/// Keeps the newest progress report of a running trial, with its dev evaluations and its loss and keep trace so far;
/// the heartbeat loop sends it on.
/// </summary>
public sealed class LatestProgress : IProgress<TrialProgress>
{
    /// <summary>The trace holds at most this many points: past it, every other point goes and the stride doubles.</summary>
    public const int MaxTracePoints = 256;

    private volatile TrialProgressReport current = new(TrialPhase.Starting, 0, 0, double.NaN, 1, 0);
    private IReadOnlyList<EvaluationPoint> evaluations = [];
    private List<TracePoint> trace = [];
    /// <summary>What the reports carry: copied when a point joins, not at every step.</summary>
    private IReadOnlyList<TracePoint> traceShown = [];
    private int stride = 1;

    public TrialProgressReport Current => current;

    public void Report(TrialProgress value)
    {
        // Preparation messages carry no step; keep the step counters of a resumed trial visible.
        var previous = current;
        var phase = Of(value.Phase);
        if (value.Evaluation is { } e) evaluations = [.. evaluations, new EvaluationPoint(e.Step, e.Metrics.ToList(), e.Collapsed) { MaskChurn = e.MaskChurn }];
        if (value.Phase == TrainingPhase.Training && !double.IsNaN(value.Loss)) AddToTrace(new TracePoint(value.Step, value.Loss, value.KeepFraction));
        current = value.Phase == TrainingPhase.Preparing
            ? previous with { Phase = phase }
            : new TrialProgressReport(phase, value.Step, value.TotalSteps, value.Loss, value.KeepFraction, value.TokensPerSecond)
            {
                Evaluations = evaluations, Trace = traceShown,
            };
    }

    private void AddToTrace(TracePoint point)
    {
        if (trace.Count > 0 && point.Step - trace[^1].Step < stride) return;
        trace.Add(point);
        if (trace.Count > MaxTracePoints)
        {
            trace = trace.Where((_, i) => i % 2 == 0).ToList();
            stride *= 2;
        }
        traceShown = trace.ToList();
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
