using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.SweepClient.Results;

/// <summary>One trial of a sweep with its state (done, reused, failed: reason) and outcome when it has one.</summary>
public sealed record TrialRow(TrialSpec Spec, string State, TrialOutcome? Outcome)
{
    public static TrialRow From(TrialStatus trial) => new(trial.Spec,
        trial.State switch
        {
            TrialState.Failed => $"failed: {trial.Error}",
            _ => trial.State.ToString().ToLowerInvariant(),
        },
        trial.Outcome);

    /// <summary>The task's first metric (accuracy for most tasks), the one the paper-style table shows.</summary>
    public double? PrimaryMetric => Outcome?.PrimaryMetric?.Value;

    public double? Metric(string name) => Outcome?.Metrics.FirstOrDefault(m => m.Key == name) is { Key: not null } m ? m.Value : null;

    public double? FinalMetric(string name) => Outcome?.SelectedMetrics(MetricSelection.Final).FirstOrDefault(m => m.Key == name) is { Key: not null } m ? m.Value : null;

    public string MethodLabel => Spec.Method + (Spec.Distillation is null ? "" : " + KD");
}
