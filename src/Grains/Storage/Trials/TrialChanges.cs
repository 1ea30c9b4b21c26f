namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// One write of a sweep's trials, already encoded (<see cref="TrialRecordCodec"/>): the records that changed, whole,
/// the evaluations to append to the log, and whether the sweep became cancelled.
/// </summary>
public sealed record TrialChanges(
    IReadOnlyList<KeyValuePair<string, byte[]>> Records,
    IReadOnlyList<KeyValuePair<string, byte[]>> Evaluations,
    bool Cancelled)
{
    public bool IsEmpty => Records.Count == 0 && Evaluations.Count == 0 && !Cancelled;

    /// <summary>The encoded size of the records and evaluations (what the store's write carries, keys and framing aside).</summary>
    public long Bytes => Records.Sum(r => (long)r.Value.Length) + Evaluations.Sum(e => (long)e.Value.Length);
}
