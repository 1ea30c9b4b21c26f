namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One objective of a model-based search (<c>objectives</c>): a dev metric under the sweep's <c>select</c>, or the keep
/// fraction the trials' masks achieved; each point's value is its mean over the point's pruned trials.
/// </summary>
/// <param name="Metric">The metric's name (null: each task's primary metric; ignored for the keep objective).</param>
/// <param name="Keep">The objective is the achieved keep fraction rather than a metric.</param>
/// <param name="Maximise">Higher is better.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SearchObjective")]
public sealed record SearchObjective(
    [property: Id(0)] string? Metric,
    [property: Id(1)] bool Keep,
    [property: Id(2)] bool Maximise)
{
    /// <summary>The default single objective: each task's primary metric, maximised.</summary>
    public static SearchObjective PrimaryMetric { get; } = new(null, false, true);

    /// <summary>What the objective's grid entry says: "accuracy max", "keep min".</summary>
    public override string ToString() => $"{(Keep ? "keep" : Metric ?? "primary metric")} {(Maximise ? "max" : "min")}";

    /// <summary>The objective's value for one trial's outcome under <paramref name="select"/>, as a loss (minimised); NaN when the outcome lacks the metric.</summary>
    public double LossOf(TrialOutcome outcome, MetricSelection select) => Maximise ? -ValueOf(outcome, select) : ValueOf(outcome, select);

    /// <summary>The objective's value for one trial's outcome under <paramref name="select"/> (the metric, or the achieved keep); NaN when the outcome lacks the metric.</summary>
    public double ValueOf(TrialOutcome outcome, MetricSelection select)
    {
        if (Keep) return outcome.AchievedKeepFraction;
        var metrics = select == MetricSelection.Final && outcome.FinalMetrics is { Count: > 0 } final ? final : outcome.Metrics;
        if (Metric is null) return metrics.Count > 0 ? metrics[0].Value : double.NaN;
        return metrics.FirstOrDefault(m => m.Key == Metric) is { Key: not null } m ? m.Value : double.NaN;
    }
}
