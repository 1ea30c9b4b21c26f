using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Metrics;

/// <summary>What a sweep grain last published for the metrics: trial counts by state, queue depth, finished trials.</summary>
public sealed record SweepSnapshot(
    string SweepId,
    IReadOnlyDictionary<TrialState, int> TrialsByState,
    int QueueDepth,
    IReadOnlyList<(TrialSpec Spec, TrialOutcome Outcome)> Finished);
