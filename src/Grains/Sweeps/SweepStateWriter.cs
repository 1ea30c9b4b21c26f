using Sweeps.Grains.Storage.Trials;

namespace Sweeps.Grains.Sweeps;

/// <summary>
/// Writes what changed in a sweep's ledger to the trial store: the records of the trials that changed and the new
/// evaluations, at most once per <see cref="Interval"/> (and at once when the sweep finishes). A write's size follows
/// the events since the last one, never the sweep's size. What a crash can lose meanwhile is recovered on activation
/// (results from the artefact store, running trials asked again).
/// </summary>
/// <param name="beforeWrite">Called before each write (the shell publishes the sweep's metrics).</param>
/// <param name="onFenced">Called when a write is refused because a later activation claimed the sweep (the shell deactivates).</param>
public sealed class SweepStateWriter(ITrialStore store, string sweepId, long epoch, Action beforeWrite, TimeProvider time, Action onFenced)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private DateTimeOffset lastWrite = DateTimeOffset.MinValue;

    /// <summary>The last write's number in this activation (see <see cref="ITrialStore.WriteAsync"/>).</summary>
    private long sequence;

    /// <summary>The epoch this activation claimed: its writes carry it.</summary>
    public long Epoch => epoch;

    /// <summary>Bytes of records and evaluations written, writes made, and the largest write (what the store benchmark reports).</summary>
    public long BytesWritten { get; private set; }

    public int Writes { get; private set; }

    public long LargestWrite { get; private set; }

    /// <summary>Writes now when the last write is an interval old or the sweep is finished; else the check timer writes it.</summary>
    public async Task WriteSoon(SweepLedger ledger)
    {
        if (Due || ledger.IsFinished) await Write(ledger);
    }

    /// <summary>Writes what changed when an interval has passed (the check timer's write).</summary>
    public async Task WriteIfDue(SweepLedger ledger)
    {
        if (ledger.HasChanges && Due) await Write(ledger);
    }

    public async Task Write(SweepLedger ledger)
    {
        beforeWrite();
        lastWrite = time.GetUtcNow();
        if (!ledger.HasChanges) return;
        var taken = ledger.TakeChanges();
        // Encoded now, on the sweep's turn: the records go on changing while the write is under way.
        var records = taken.Records.Select(r => new KeyValuePair<string, byte[]>(r.Key, TrialRecordCodec.Encode(r.Value))).ToList();
        var evaluations = taken.Evaluations.Select(e => new KeyValuePair<string, byte[]>(e.Key, TrialRecordCodec.Encode(e.Value))).ToList();
        var written = 0;
        try
        {
            foreach (var changes in Split(records, evaluations, taken.Cancelled))
            {
                await store.WriteAsync(sweepId, epoch, ++sequence, changes);
                written++;
                BytesWritten += changes.Bytes;
                LargestWrite = Math.Max(LargestWrite, changes.Bytes);
            }
            ledger.Written(taken);
        }
        catch (StaleEpochException)
        {
            onFenced();
            throw;
        }
        catch
        {
            ledger.Unwritten(taken); // the next write carries them (rewriting a record or a point that did land is harmless: records are whole, points are taken once per step)
            throw;
        }
        finally
        {
            Writes += written;
        }
    }

    /// <summary>
    /// The changes in writes of at most <see cref="ITrialStore.MaxWriteBytes"/> each (a record larger than that alone in
    /// its own; a sweep moved from the earlier store, or a burst of events, is written in several):
    /// each is a transaction of its own; none needs another's, since each record is whole and each point stands alone.
    /// </summary>
    public static IEnumerable<TrialChanges> Split(IReadOnlyList<KeyValuePair<string, byte[]>> records, IReadOnlyList<KeyValuePair<string, byte[]>> evaluations, bool cancelled)
    {
        var (batchRecords, batchEvaluations, bytes) = (new List<KeyValuePair<string, byte[]>>(), new List<KeyValuePair<string, byte[]>>(), 0L);
        foreach (var (item, isRecord) in records.Select(r => (r, true)).Concat(evaluations.Select(e => (e, false))))
        {
            if (bytes + item.Value.Length > ITrialStore.MaxWriteBytes && bytes > 0)
            {
                yield return new TrialChanges(batchRecords, batchEvaluations, false);
                (batchRecords, batchEvaluations, bytes) = ([], [], 0);
            }
            (isRecord ? batchRecords : batchEvaluations).Add(item);
            bytes += item.Value.Length;
        }
        // The cancellation goes with the last write: once it is stored, every record before it is.
        if (bytes > 0 || cancelled) yield return new TrialChanges(batchRecords, batchEvaluations, cancelled);
    }

    private bool Due => time.GetUtcNow() - lastWrite > Interval;
}
