namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// The part of a finished trial's result that the sweep keeps and the client shows (the full result, with its loss
/// curve and per-matrix keep fractions, stays in the artefact store's result.json).
/// </summary>
/// <param name="Metrics">Dev metric name → value, in the task's order (the first is the one the results table shows).</param>
/// <param name="ResumedFromStep">The checkpoint step the last attempt resumed from (0: it started fresh).</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrialOutcome")]
public sealed record TrialOutcome(
    [property: Id(0)] IReadOnlyList<KeyValuePair<string, double>> Metrics,
    [property: Id(1)] double AchievedKeepFraction,
    [property: Id(2)] int Steps,
    [property: Id(3)] int ResumedFromStep,
    [property: Id(4)] double WallSeconds,
    [property: Id(5)] double TokensPerSecond,
    [property: Id(6)] long MaskBytes)
{
    /// <summary>The task's first metric, or null when the trial reported none.</summary>
    public KeyValuePair<string, double>? PrimaryMetric => Metrics.Count > 0 ? Metrics[0] : null;
}
