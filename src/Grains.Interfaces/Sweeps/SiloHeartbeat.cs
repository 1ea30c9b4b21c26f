namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>
/// One silo's heartbeat to one sweep: every trial of the sweep alive on the silo, with its progress and the
/// evaluations the sweep has not acknowledged yet (its loss trace stays with the trial, see <see cref="ITrialGrain.GetProgress"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.SiloHeartbeat")]
public sealed record SiloHeartbeat(
    [property: Id(0)] string Silo,
    [property: Id(1)] IReadOnlyList<TrialBeat> Trials);

/// <summary>A trial's part of a <see cref="SiloHeartbeat"/>: its progress, whose evaluations are the new ones alone.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.TrialBeat")]
public sealed record TrialBeat(
    [property: Id(0)] string TrialId,
    [property: Id(1)] TrialProgressReport Progress);

/// <summary>
/// The sweep's answer to a <see cref="SiloHeartbeat"/>: the trials of the beat it no longer holds on that silo (the
/// fence: those copies stop), and the epoch of the sweep's activation (a new one asks for every evaluation again).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.HeartbeatReply")]
public sealed record HeartbeatReply(
    [property: Id(0)] IReadOnlyList<string> NotHeld,
    [property: Id(1)] long Epoch);
