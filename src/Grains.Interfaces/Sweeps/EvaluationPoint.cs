namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One dev evaluation a trial made while training (the evaluations model selection uses, every eval_every steps once
/// the keep fraction reached its target, or from eval_from; each applies the target's masks): a point of the trial's curve.
/// </summary>
/// <param name="Metrics">Metric name → value, in the task's order (the first is the one the results table shows).</param>
/// <param name="Collapsed">Every dev prediction was one class.</param>
[GenerateSerializer, Immutable, Alias("sweeps.EvaluationPoint")]
public sealed record EvaluationPoint(
    [property: Id(0)] int Step,
    [property: Id(1)] IReadOnlyList<KeyValuePair<string, double>> Metrics,
    [property: Id(2)] bool Collapsed)
{
    /// <summary>The fraction of mask bits that changed since the previous evaluation (at the first, since the start); null without masks.</summary>
    [Id(3)] public double? MaskChurn { get; init; }

    /// <summary>The value of a metric; null when the evaluation has no such metric.</summary>
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Key == name) is { Key: not null } m ? m.Value : null;
}
