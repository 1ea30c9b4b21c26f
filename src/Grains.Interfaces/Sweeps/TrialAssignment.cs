namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>What a sweep hands a trial grain to run: the trial, who to report to, and which attempt this is.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialAssignment")]
public sealed record TrialAssignment(
    [property: Id(0)] string SweepId,
    [property: Id(1)] TrialSpec Spec,
    [property: Id(2)] int Attempt)
{
    /// <summary>
    /// The sweep stops trials early, so a stored result of a trial stopped early (by any sweep) is this trial's
    /// result; without early stopping the trial is trained to its end instead.
    /// </summary>
    [Id(3)] public bool AcceptsStopped { get; init; }

    /// <summary>The sweep's per-trial memory cap (<c>resources.memory</c>) in bytes; null: the silo's default.</summary>
    [Id(4)] public long? MemoryCapBytes { get; init; }
}
