namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// A sweep at a glance, cheap at any size: trial counts by state, the running trials (without their curves), the
/// first failures, and the first trials being retried after a failed attempt.
/// </summary>
/// <param name="Failures">The first trials that failed for good, in grid order.</param>
/// <param name="Collapsed">Finished trials whose selected evaluation predicted one class.</param>
/// <param name="Retrying">The first trials without a result whose latest attempt failed (queued for a retry, or running it), in grid order.</param>
/// <param name="Owner">Who submitted it, as <see cref="SweepStatus.Owner"/>.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepProgress")]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] int Trials,
    [property: Id(3)] IReadOnlyDictionary<TrialState, int> Counts,
    [property: Id(4)] IReadOnlyList<TrialStatus> Running,
    [property: Id(5)] IReadOnlyList<TrialStatus> Failures,
    [property: Id(6)] MetricSelection Select = MetricSelection.Best,
    [property: Id(7)] int Collapsed = 0,
    [property: Id(8)] bool Cancelled = false)
{
    /// <summary>How many trials each list of trials holds at most.</summary>
    public const int ListedTrials = 20;

    [Id(9)] public IReadOnlyList<TrialStatus> Retrying { get; init; } = [];

    [Id(10)] public DateTimeOffset SubmittedAt { get; init; }

    [Id(11)] public string Owner { get; init; } = "";

    public int Count(TrialState state) => Counts.GetValueOrDefault(state);

    /// <summary>Trials in a final state (a search's trials yet to be proposed are not).</summary>
    public int Finished => Counts.Where(c => c.Key.IsFinal()).Sum(c => c.Value);

    public bool IsFinished => Finished == Trials;
}
