using Sweeps.Artifacts;

namespace Sweeps.Pruning.Training;

/// <summary>The counters a checkpoint carries besides tensors, so a resumed trial reports as if never interrupted.</summary>
/// <param name="Evaluations">The dev evaluations made so far.</param>
/// <param name="BestStep">The step of the best of them, whose artefact is on disk; null before the first.</param>
public sealed record TrainingProgressState(int Step, double TrainingSeconds, long Tokens, IReadOnlyList<LossPoint> LossCurve, double WindowSum, int WindowCount)
{
    public IReadOnlyList<DevEvaluation> Evaluations { get; init; } = [];
    public int? BestStep { get; init; }
    public double EvaluationSeconds { get; init; }
}
