namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>One trial as its sweep sees it.</summary>
/// <param name="Attempts">Attempts started so far (a resumption after a silo loss counts as one).</param>
/// <param name="Error">Why the last attempt failed, when one did.</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrialStatus")]
public sealed record TrialStatus(
    [property: Id(0)] TrialSpec Spec,
    [property: Id(1)] TrialState State,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string? Silo,
    [property: Id(4)] string? Device,
    [property: Id(5)] TrialProgressReport? Progress,
    [property: Id(6)] TrialOutcome? Outcome,
    [property: Id(7)] string? Error)
{
    /// <summary>The dev evaluations it reported while training, by step.</summary>
    [Id(8)] public IReadOnlyList<EvaluationPoint> Curve { get; init; } = [];

    /// <summary>Its attempts, first to last: silo, device, when, and how each ended.</summary>
    [Id(9)] public IReadOnlyList<TrialAttempt> History { get; init; } = [];

    /// <summary>The last attempt that went wrong (failed, crashed, ran out of memory, hung, or was lost), even when a later one succeeded.</summary>
    public TrialAttempt? LastTrouble => History.LastOrDefault(a => AttemptFaults.IsTrouble(a.Ending));
}
