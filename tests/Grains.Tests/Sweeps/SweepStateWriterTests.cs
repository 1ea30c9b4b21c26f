using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Grains.Tests.Cluster;
using Sweeps.Testing;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>What the writer hands the trial store: the changes alone, in writes of bounded size.</summary>
public sealed class SweepStateWriterTests
{
    private static KeyValuePair<string, byte[]> Item(string id, int bytes) => new(id, new byte[bytes]);

    [Fact]
    public void Split_KeepsEachWriteWithinTheBound_EveryItemOnce_InOrder_TheCancellationLast()
    {
        var records = Enumerable.Range(0, 700).Select(i => Item($"r{i}", 1000 + i)).ToList();
        var evaluations = Enumerable.Range(0, 3000).Select(i => Item($"e{i}", 90)).ToList();

        var writes = SweepStateWriter.Split(records, evaluations, cancelled: true).ToList();

        Assert.True(writes.Count > 1);
        Assert.All(writes, w => Assert.InRange(w.Bytes, 1, ITrialStore.MaxWriteBytes));
        Assert.Equal(records.Select(r => r.Key), writes.SelectMany(w => w.Records).Select(r => r.Key));
        Assert.Equal(evaluations.Select(e => e.Key), writes.SelectMany(w => w.Evaluations).Select(e => e.Key));
        Assert.Equal([.. Enumerable.Repeat(false, writes.Count - 1), true], writes.Select(w => w.Cancelled));
    }

    [Fact]
    public void Split_ARecordLargerThanTheBound_IsWrittenAlone()
    {
        var writes = SweepStateWriter.Split([Item("small", 10), Item("huge", ITrialStore.MaxWriteBytes + 1), Item("after", 10)], [], cancelled: false).ToList();
        Assert.Equal([["small"], ["huge"], ["after"]], writes.Select(w => w.Records.Select(r => r.Key).ToArray()));
    }

    [Fact]
    public async Task ASubmittedSweep_WritesNoRecordPerTrial_AndAStartWritesThatTrialsAlone()
    {
        using var folder = new TemporaryFolder();
        var store = new SqliteTrialStore(Path.Combine(folder.Path, "sweeps.db"));
        var spec = SweepSpecs.WithTeachers("many", teachers: 500, studentsPerTeacher: 1);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var epoch = await store.ClaimAsync("many");
        var writer = new SweepStateWriter(store, "many", epoch, () => { }, TimeProvider.System, () => { });

        await writer.Write(ledger);
        Assert.Equal(0, writer.BytesWritten); // a trial with no record is queued: derived again at the next activation

        var started = ledger.NextBatch(DateTimeOffset.UtcNow, 3);
        foreach (var trial in started) ledger.Dispatching(trial.Id, "many", DateTimeOffset.UtcNow);
        await writer.Write(ledger);

        var stored = (await store.ReadAsync("many")).Decode();
        Assert.Equal(started.Select(t => t.Id).Order(), stored.Trials.Keys.Order());
        Assert.All(stored.Trials.Values, r => Assert.Equal(TrialState.Running, r.State));
        var reloaded = new SweepLedger(spec, stored, _ => null);
        Assert.Equal(spec.Trials.Count - 3, reloaded.Count(TrialState.Queued));
    }
}
