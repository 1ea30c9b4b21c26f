namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>A trial grain's answer to a start request.</summary>
/// <param name="Started">True when the trial is running (now, or already was); false when the silo had no free slot.</param>
/// <param name="Silo">The silo running it.</param>
/// <param name="Device">The device leased to it (cuda:N or cpu:N).</param>
/// <param name="AlreadyRunning">True when the trial was running before this request (another request started it).</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrialStartReply")]
public sealed record TrialStartReply(
    [property: Id(0)] bool Started,
    [property: Id(1)] string Silo,
    [property: Id(2)] string Device,
    [property: Id(3)] bool AlreadyRunning = false);
