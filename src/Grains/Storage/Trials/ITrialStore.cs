namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// Where sweeps keep their trials durably: a record per trial and an append-only log of the evaluations trials
/// reported, written per event as the set of trials that changed (never the sweep whole). Each activation of a sweep
/// claims a new epoch first; a write carries its epoch and is refused once a later activation claimed the sweep, so two
/// activations can never overwrite each other. It also keeps each sweep's spec, written once at submission. Two
/// backends: SQLite (the embedded cluster) and Redis (a cluster).
/// </summary>
public interface ITrialStore
{
    /// <summary>
    /// The most bytes one write carries: the sweep's writer splits its changes by it, and a larger spec is written in
    /// parts of this size. A write never holds the store long, whatever the sweep's size.
    /// </summary>
    const int MaxWriteBytes = 256 * 1024;

    /// <summary>Takes the sweep over: returns a new epoch, after which writes with any earlier epoch are refused.</summary>
    Task<long> ClaimAsync(string sweepId);

    /// <summary>Everything stored for the sweep (empty when nothing is). Reads never fence a writer.</summary>
    Task<StoredTrials> ReadAsync(string sweepId);

    /// <summary>
    /// The stored records of these trials (those the store has; in no particular order): what a sweep reads for the
    /// trials whose records it no longer holds in memory.
    /// </summary>
    Task<IReadOnlyList<KeyValuePair<string, byte[]>>> ReadRecordsAsync(string sweepId, IReadOnlyList<string> trialIds);

    /// <summary>
    /// Writes the changes in one transaction; throws <see cref="StaleEpochException"/> when <paramref name="epoch"/> is
    /// no longer the sweep's newest, and <see cref="OvertakenWriteException"/> (changing nothing) when a write of this
    /// epoch with a higher <paramref name="sequence"/> has landed already.
    /// </summary>
    /// <param name="sequence">The write's number in its activation, from 1 up: a write given up on whose bytes still reach
    /// a networked store later (a cut connection's, retransmitted after the connection that replaced it wrote newer
    /// records) must not put older records back.</param>
    Task WriteAsync(string sweepId, long epoch, long sequence, TrialChanges changes);

    /// <summary>
    /// Stores the sweep's spec (<see cref="SweepSpecCodec"/>), replacing any earlier copy, in parts of at most
    /// <see cref="MaxWriteBytes"/>. Not fenced: a sweep's id names its spec, so every writer writes the same bytes.
    /// </summary>
    Task WriteSpecAsync(string sweepId, byte[] spec);

    /// <summary>The sweep's spec as written, or null when none is stored.</summary>
    Task<byte[]?> ReadSpecAsync(string sweepId);

    /// <summary>The parts <paramref name="spec"/> is written in.</summary>
    static IEnumerable<byte[]> SpecParts(byte[] spec) => spec.Chunk(MaxWriteBytes);
}
