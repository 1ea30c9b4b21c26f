using System.Diagnostics;
using Sweeps.Artifacts;

namespace Sweeps.Pruning.Training;

/// <summary>
/// What a running trial has counted so far — the loss curve and its open window, tokens, training time, the dev
/// evaluations and which was best — started from a checkpoint's counters and turned back into them for the next.
/// </summary>
public sealed class TrainingTally
{
    private readonly Stopwatch clock = new();
    private readonly double priorSeconds;
    private double windowSum;
    private int windowCount;

    public TrainingTally(TrainingProgressState state)
    {
        ResumedFrom = state.Step;
        priorSeconds = state.TrainingSeconds;
        Tokens = state.Tokens;
        LossCurve = state.LossCurve.ToList();
        windowSum = state.WindowSum;
        windowCount = state.WindowCount;
        Evaluations = state.Evaluations.ToList();
        BestStep = state.BestStep;
        EvaluationSeconds = state.EvaluationSeconds;
    }

    /// <summary>The step training starts (or resumed) at.</summary>
    public int ResumedFrom { get; }

    public long Tokens { get; set; }

    public List<LossPoint> LossCurve { get; }

    public List<DevEvaluation> Evaluations { get; }

    /// <summary>The step of the best evaluation, whose artefact is on disk; null before the first.</summary>
    public int? BestStep { get; set; }

    public double EvaluationSeconds { get; set; }

    /// <summary>Seconds spent training (evaluations excluded), across every attempt.</summary>
    public double TrainingSeconds => priorSeconds + clock.Elapsed.TotalSeconds;

    /// <summary>The mean of the steps since the loss curve's last point: a real recent loss from the first step on.</summary>
    public double RecentLoss => windowCount > 0 ? windowSum / windowCount : LossCurve.LastOrDefault()?.Loss ?? double.NaN;

    public void StartClock() => clock.Start();

    public void StopClock() => clock.Stop();

    /// <summary>A step's loss joins the open window; a full window (or the last step) becomes a point of the curve.</summary>
    public void AddLoss(double loss)
    {
        windowSum += loss;
        windowCount++;
    }

    /// <summary>
    /// Closes the open window as the curve's point at <paramref name="step"/> (with the keep fraction the masks had there)
    /// when it holds <paramref name="window"/> steps or <paramref name="last"/> is set.
    /// </summary>
    public void CloseWindow(int step, int window, bool last, double keep)
    {
        if (windowCount < Math.Max(1, window) && !last) return;
        LossCurve.Add(new LossPoint(step, windowSum / windowCount) { Keep = keep });
        windowSum = 0;
        windowCount = 0;
    }

    /// <summary>The counters a checkpoint taken before step <paramref name="nextStep"/> carries.</summary>
    public TrainingProgressState ToState(int nextStep) =>
        new(nextStep, TrainingSeconds, Tokens, LossCurve.ToList(), windowSum, windowCount)
        {
            Evaluations = Evaluations.ToList(), BestStep = BestStep, EvaluationSeconds = EvaluationSeconds,
        };
}
