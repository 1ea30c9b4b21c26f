namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// The part of a finished trial's result that the sweep keeps and the client shows (the full result, with its loss
/// curve, evaluations and per-matrix keep fractions, stays in the artefact store's result.json).
/// </summary>
/// <param name="Metrics">The best evaluation's dev metrics (name → value, in the task's order; the first is the one the results table shows).</param>
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
    /// <summary>The dev metrics after the last step (the best ones where a result predates evaluations during training).</summary>
    [Id(7)] public IReadOnlyList<KeyValuePair<string, double>>? FinalMetrics { get; init; }

    /// <summary>The step of the best evaluation.</summary>
    [Id(8)] public int BestStep { get; init; }

    /// <summary>The best evaluation predicted one class for every dev example.</summary>
    [Id(9)] public bool Collapsed { get; init; }

    /// <summary>The final evaluation predicted one class for every dev example.</summary>
    [Id(10)] public bool FinalCollapsed { get; init; }

    /// <summary>Seconds spent on dev evaluations, and in training steps (every attempt).</summary>
    [Id(11)] public double EvaluationSeconds { get; init; }

    [Id(12)] public double TrainingSeconds { get; init; }

    /// <summary>Early stopping ended it after this many steps; null: it ran to the end.</summary>
    [Id(13)] public int? StoppedAtStep { get; init; }

    /// <summary>Every dev evaluation it made, by step (what heartbeats brought while it ran, complete).</summary>
    [Id(14)] public IReadOnlyList<EvaluationPoint> Curve { get; init; } = [];

    /// <summary>Where the best or the final evaluation collapsed: the step of the first evaluation that did; else null.</summary>
    [Id(15)] public int? CollapsedAtStep { get; init; }

    /// <summary>The mask churn of the evaluation at <see cref="CollapsedAtStep"/> (null without masks).</summary>
    [Id(16)] public double? ChurnAtCollapse { get; init; }

    /// <summary>The metrics the results show under <paramref name="select"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> SelectedMetrics(MetricSelection select) =>
        select == MetricSelection.Final ? FinalMetrics ?? Metrics : Metrics;

    /// <summary>Whether the evaluation the results show under <paramref name="select"/> collapsed to one class.</summary>
    public bool SelectedCollapsed(MetricSelection select) => select == MetricSelection.Final ? FinalCollapsed : Collapsed;
}
