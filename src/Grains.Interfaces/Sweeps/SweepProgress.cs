namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A sweep at a glance, cheap at any size: trial counts by state, the running trials, the latest failures.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.SweepProgress")]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] int Trials,
    [property: Id(3)] IReadOnlyDictionary<TrialState, int> Counts,
    [property: Id(4)] IReadOnlyList<TrialStatus> Running,
    [property: Id(5)] IReadOnlyList<TrialStatus> Failures,
    [property: Id(6)] MetricSelection Select = MetricSelection.Best)
{
    public int Count(TrialState state) => Counts.GetValueOrDefault(state);

    public int Finished => Trials - Count(TrialState.Queued) - Count(TrialState.Running);

    public bool IsFinished => Finished == Trials;
}
