namespace Sweeps.Artifacts;

/// <summary>One evaluation of a trial on its dev splits.</summary>
/// <param name="Step">Optimiser steps taken when it was made.</param>
/// <param name="Metrics">Metric name → value, in the task's order (the first is the primary one).</param>
/// <param name="Collapsed">
/// Every dev prediction was the same class: the model learned a constant, whatever its accuracy says. Always false
/// for regression and span tasks.
/// </param>
public sealed record DevEvaluation(int Step, IReadOnlyDictionary<string, double> Metrics, bool Collapsed)
{
    /// <summary>
    /// The fraction of mask bits (over every masked matrix) that differ from the masks at the previous evaluation; at
    /// the first, from the masks the trial started with (every weight kept). Null for a trial without masks (dense).
    /// </summary>
    public double? MaskChurn { get; init; }
}
