namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A running trial's progress, sent to its sweep every few seconds; doubles as the trial's heartbeat.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialProgressReport")]
public sealed record TrialProgressReport(
    [property: Id(0)] TrialPhase Phase,
    [property: Id(1)] int Step,
    [property: Id(2)] int TotalSteps,
    [property: Id(3)] double Loss,
    [property: Id(4)] double KeepFraction,
    [property: Id(5)] double TokensPerSecond)
{
    /// <summary>The dev evaluations of this attempt so far, in step order (the sweep keeps them as the trial's curve).</summary>
    [Id(6)] public IReadOnlyList<EvaluationPoint> Evaluations { get; init; } = [];

    /// <summary>This attempt's loss and keep fraction so far, thinned to a few hundred points (kept in memory, never stored).</summary>
    [Id(7)] public IReadOnlyList<TracePoint> Trace { get; init; } = [];
}
