namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A running trial's progress, sent to its sweep every few seconds; doubles as the trial's heartbeat.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialProgressReport")]
public sealed record TrialProgressReport(
    [property: Id(0)] TrialPhase Phase,
    [property: Id(1)] int Step,
    [property: Id(2)] int TotalSteps,
    [property: Id(3)] double Loss,
    [property: Id(4)] double KeepFraction,
    [property: Id(5)] double TokensPerSecond);
