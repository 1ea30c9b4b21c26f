namespace Sweeps.Grains.Storage.Trials;

/// <summary>
/// Where sweeps keep their trials durably: a record per trial and an append-only log of the evaluations trials
/// reported, written per event as the set of trials that changed (never the sweep whole). Each activation of a sweep
/// claims a new epoch first; a write carries its epoch and is refused once a later activation claimed the sweep, so two
/// activations can never overwrite each other. Two backends: SQLite (the embedded cluster) and Redis (a cluster).
/// </summary>
public interface ITrialStore
{
    /// <summary>Takes the sweep over: returns a new epoch, after which writes with any earlier epoch are refused.</summary>
    Task<long> ClaimAsync(string sweepId);

    /// <summary>Everything stored for the sweep (empty when nothing is). Reads never fence a writer.</summary>
    Task<StoredTrials> ReadAsync(string sweepId);

    /// <summary>Writes the changes in one transaction; throws <see cref="StaleEpochException"/> when <paramref name="epoch"/> is no longer the sweep's newest.</summary>
    Task WriteAsync(string sweepId, long epoch, TrialChanges changes);
}
