using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Reports;

/// <summary>One trial of a sweep with its state (done, reused, failed: reason) and outcome when it has one.</summary>
public sealed record TrialRow(TrialSpec Spec, string State, TrialOutcome? Outcome)
{
    /// <summary>The dev evaluations it made while training (its intermediate results), by step.</summary>
    public IReadOnlyList<EvaluationPoint> Curve { get; init; } = [];

    public static TrialRow From(TrialStatus trial) => new(trial.Spec,
        trial.State switch
        {
            TrialState.Failed => $"failed: {trial.Error}",
            _ => trial.State.ToString().ToLowerInvariant(),
        },
        trial.Outcome) { Curve = trial.Curve };

    /// <summary>The best evaluation's value of a metric.</summary>
    public double? Metric(string name) => Value(Outcome?.Metrics, name);

    /// <summary>The last step's value of a metric.</summary>
    public double? FinalMetric(string name) => Value(Outcome?.SelectedMetrics(MetricSelection.Final), name);

    private static double? Value(IReadOnlyList<KeyValuePair<string, double>>? metrics, string name) =>
        metrics?.FirstOrDefault(m => m.Key == name) is { Key: not null } m ? m.Value : null;
}
