namespace Sweeps.Pruning.Training;

/// <summary>What a finished trial produced.</summary>
/// <param name="DevMetrics">Metric name → value; names are split-qualified (dev_matched.accuracy) where a task has several dev splits.</param>
/// <param name="KeepFractionPerMatrix">Achieved keep fraction of every masked matrix, by module name.</param>
/// <param name="MaskBytes">Size of the bit-packed masks (1 bit per masked weight); 0 for dense fine-tuning.</param>
/// <param name="ResumedFromStep">The step a checkpoint resumed from (0 for a fresh start).</param>
public sealed record TrialResult(
    string Task,
    string Method,
    string Classifier,
    double TargetKeepFraction,
    IReadOnlyDictionary<string, double> DevMetrics,
    double AchievedKeepFraction,
    IReadOnlyDictionary<string, double> KeepFractionPerMatrix,
    long MaskBytes,
    int Steps,
    int ResumedFromStep,
    TimeSpan WallTime,
    double TokensPerSecond,
    IReadOnlyList<LossPoint> LossCurve,
    IReadOnlyList<string> Notes);
