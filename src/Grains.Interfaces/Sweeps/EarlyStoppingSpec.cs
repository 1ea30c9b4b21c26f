namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// A grid's <c>early_stopping</c>: asynchronous successive halving (ASHA, Li et al., MLSys 2020) over the trials'
/// dev evaluations, comparing a trial only with trials of its own task and target keep fraction.
/// </summary>
/// <param name="Metric">The dev metric ranked (null: each task's first, the one the results table shows).</param>
/// <param name="Maximize">Higher is better (accuracy, F1); false for a metric to minimise.</param>
/// <param name="Grace">The first rung, in training steps: no trial is stopped before it.</param>
/// <param name="ReductionFactor">η: at each rung a trial must be in the best 1/η of those that reached it to go on.</param>
/// <param name="Max">Rungs lie at grace × η^k below this many steps.</param>
/// <param name="StopCollapsed">A trial whose evaluation at its first rung collapsed to one class is stopped there.</param>
[GenerateSerializer, Immutable, Alias("sweeps.EarlyStoppingSpec")]
public sealed record EarlyStoppingSpec(
    [property: Id(0)] string? Metric,
    [property: Id(1)] bool Maximize,
    [property: Id(2)] int Grace,
    [property: Id(3)] int ReductionFactor,
    [property: Id(4)] int Max,
    [property: Id(5)] bool StopCollapsed)
{
    /// <summary>The rungs' steps: grace, grace·η, grace·η², … below <see cref="Max"/>.</summary>
    public IReadOnlyList<int> Rungs()
    {
        var rungs = new List<int>();
        for (long rung = Grace; rung < Max; rung *= ReductionFactor) rungs.Add((int)rung);
        return rungs;
    }
}
