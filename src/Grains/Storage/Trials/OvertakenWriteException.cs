namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// A write the store dropped because a later write of the same activation landed first: a write the sweep gave up on
/// (its reply lost when its connection was cut) that reached the store after the connection that replaced it. Its
/// changes are carried by a later write, as after any failed write.
/// </summary>
public sealed class OvertakenWriteException(string sweepId, long sequence, long landed)
    : Exception($"Sweep {sweepId}: write {sequence} arrived after write {landed} and was dropped; a later write carries its changes");
