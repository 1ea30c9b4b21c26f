namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A sweep's state: every trial, in the order of the expanded grid.</summary>
/// <param name="Owner">Who submitted it: the client certificate's subject on a TLS cluster, the user on the embedded one; empty where the cluster does not authenticate.</param>
[GenerateSerializer, Immutable, Alias("sweeps.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset SubmittedAt,
    [property: Id(3)] bool Cancelled,
    [property: Id(4)] IReadOnlyList<TrialStatus> Trials,
    [property: Id(5)] MetricSelection Select = MetricSelection.Best,
    [property: Id(6)] string Owner = "")
{
    /// <summary>Every trial with a result (done or reused), with its outcome.</summary>
    public IEnumerable<(TrialSpec Spec, TrialOutcome Outcome)> Finished =>
        Trials.Where(t => t.State.HasResult() && t.Outcome is not null).Select(t => (t.Spec, t.Outcome!));

    /// <summary>Trials a model-based search has still to propose (they are not in <see cref="Trials"/> yet).</summary>
    [Id(7)] public int Unproposed { get; init; }

    /// <summary>What a model-based search judges its points by, as its grid gave them (null: each task's primary metric, maximised).</summary>
    [Id(8)] public IReadOnlyList<SearchObjective>? Objectives { get; init; }

    /// <summary>True when no trial will change state again, and no trial is still to come.</summary>
    public bool IsFinished => Unproposed == 0 && Trials.All(t => t.State.IsFinal());

    public int Count(TrialState state) => Trials.Count(t => t.State == state);
}
