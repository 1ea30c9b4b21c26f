using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.SweepClient.Results;

/// <summary>One trial of a sweep with its state (done, reused, failed: reason) and result when it has one.</summary>
public sealed record TrialRow(TrialSpec Spec, string State, TrialResult? Result)
{
    /// <summary>The task's first metric (accuracy for most tasks), the one the paper-style table shows.</summary>
    public double? PrimaryMetric => Result?.DevMetrics.Count > 0 ? Result.DevMetrics.First().Value : null;

    public string MethodLabel => Spec.Method + (Spec.Distillation is null ? "" : " + KD");
}
