namespace Sweeps.Pruning.Training;

/// <summary>The counters a checkpoint carries besides tensors, so a resumed trial reports as if never interrupted.</summary>
public sealed record TrainingProgressState(int Step, double TrainingSeconds, long Tokens, IReadOnlyList<LossPoint> LossCurve, double WindowSum, int WindowCount);
