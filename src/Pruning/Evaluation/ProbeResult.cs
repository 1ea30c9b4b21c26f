namespace Sweeps.Pruning.Evaluation;

/// <summary>What a centroid probe measured on a task's dev split.</summary>
public sealed record ProbeResult(
    string Task,
    int TrainExamples,
    int DevExamples,
    IReadOnlyDictionary<string, double> DevMetrics,
    double MajorityClassAccuracy,
    long Tokens,
    TimeSpan Elapsed)
{
    public double TokensPerSecond => Tokens / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
