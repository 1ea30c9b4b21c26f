using Sweeps.Artifacts;

namespace Sweeps.Pruning.Training;

/// <summary>A progress report from a running trial.</summary>
/// <param name="Loss">The mean training loss of the last few steps (NaN before the first).</param>
public sealed record TrialProgress(TrainingPhase Phase, int Step, int TotalSteps, double Loss, double KeepFraction, double TokensPerSecond, string? Message = null)
{
    /// <summary>The total gradient norm of the last step, before clipping (NaN outside training steps).</summary>
    public double GradientNorm { get; init; } = double.NaN;

    /// <summary>The dev evaluation just made (on the report that follows it), else null.</summary>
    public DevEvaluation? Evaluation { get; init; }
}
