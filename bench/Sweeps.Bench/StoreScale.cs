using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using StackExchange.Redis;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Grains.Sweeps;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Bench;

/// <summary>
/// What storing a sweep costs as it grows, side by side in one run: the trial store (a record per changed trial and an
/// appended evaluation log, on SQLite and on Redis) against the whole-sweep document it replaced (the grain state
/// written in full through Orleans' storage serializer, on SQLite, at its interval of clamp(N / 1000, 1 s, 10 s)).
/// The sweep's <see cref="SweepLedger"/> is driven directly: N trials, 5% queued, up to 1,000 running, the rest
/// finished with a two-point curve each; then simulated seconds of a steady state with 1,000 trials at once (each
/// evaluates once a minute and lasts ten, so 17 evaluations, 1.7 finishes and 1.7 starts a second), the events a
/// second brings written as one write. Reports bytes per write and per second, the largest write, the time to write,
/// and the time to load the sweep again (read, decode, ledger built) with the ledger's heap per trial: what it holds
/// once the records of finished trials are let go, as the sweep grain does (on the trial store), and the spec's heap
/// per trial besides (decoded from the store as the grain reads it; every trial has its own training settings, as in
/// a search), and the result cells' heap per trial (the cells a loaded sweep files its results into, with their
/// summaries: here a cell per finished trial, a search's worst case).
/// </summary>
public static class StoreScale
{
    private const int Running = 1_000;
    private const int SimulatedSeconds = 30;

    public static void Run(int[] sizes) => RunAsync(sizes).GetAwaiter().GetResult();

    private static async Task RunAsync(int[] sizes)
    {
        using var folder = new TemporaryFolder("sweeps-bench-store-");
        using var redis = RedisServer.Available ? new RedisServer() : null;
        // The earlier design's storage, with the serializer a silo gives it.
        await using var cluster = await SweepTestCluster.StartAsync([1], _ => new SleepingTrialRunner(TimeSpan.Zero, new SleepLog(), 1));
        var serializer = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainStorageSerializer>();
        var documents = new SqliteGrainStorage(Path.Combine(folder.Path, "documents.db"), serializer);
        var backends = new List<(string Name, ITrialStore Store)> { ("sqlite", new SqliteTrialStore(Path.Combine(folder.Path, "trials.db"))) };
        if (redis is not null) backends.Add(("redis", new RedisTrialStore(ConfigurationOptions.Parse(redis.ConnectionString), "bench")));

        Console.WriteLine($"{SimulatedSeconds} simulated seconds per size, {Running} trials running; bytes are the encoded records and evaluations (keys and framing aside)");
        Console.WriteLine($"{"store",-22} {"trials",8} {"first write",12} {"bytes/write",12} {"bytes/s",12} {"largest",12} {"write p50",10} {"write max",10} {"load",9} {"heap/trial",11} {"spec/trial",11} {"cells/trial",11}");
        foreach (var size in sizes)
        {
            foreach (var (name, store) in backends) await TrialStoreRun(name, store, size);
            await DocumentRun(documents, serializer, size);
        }
    }

    private static async Task TrialStoreRun(string name, ITrialStore store, int size)
    {
        var spec = Sweep(size);
        var sweepId = $"{SweepIds.Of(spec)}-{name}";
        var epoch = await store.ClaimAsync(sweepId);
        var ledger = new SweepLedger(spec, new SweepState(), _ => null);
        var clock = new SteppedClock();
        var writer = new SweepStateWriter(store, sweepId, epoch, () => { }, clock, () => throw new InvalidOperationException("fenced"));
        var events = new SweepEvents(ledger, spec, sweepId, clock);
        events.Seed();
        var first = Stopwatch.StartNew();
        await writer.Write(ledger);
        var firstWrite = (Bytes: writer.BytesWritten, first.Elapsed);

        var (before, writes, largest) = (writer.BytesWritten, new List<double>(), 0L);
        for (var second = 0; second < SimulatedSeconds; second++)
        {
            events.OneSecond();
            var (bytes, timer) = (writer.BytesWritten, Stopwatch.StartNew());
            await writer.Write(ledger);
            writes.Add(timer.Elapsed.TotalMilliseconds);
            largest = Math.Max(largest, writer.BytesWritten - bytes);
        }
        var steady = writer.BytesWritten - before;

        var specBytes = SweepSpecCodec.Encode(spec);
        (spec, ledger, events) = (null!, null!, null!);
        var load = Stopwatch.StartNew();
        await store.ClaimAsync(sweepId);
        var stored = await store.ReadAsync(sweepId);
        var (loaded, specHeap, heap, cellsHeap) = Load(specBytes, stored);
        var loadTime = load.Elapsed;
        GC.KeepAlive(loaded);
        writes.Sort();
        Print($"trial store, {name}", size, firstWrite.Bytes, firstWrite.Elapsed, steady / SimulatedSeconds, steady / SimulatedSeconds, largest,
            writes[writes.Count / 2], writes[^1], loadTime, heap / (double)size, specHeap / (double)size, cellsHeap / (double)size);
    }

    /// <summary>
    /// The grain's load after the read: the spec decoded with its trials' ids, the ledger built from the stored
    /// records, the records of finished trials let go; returns the heap each part holds. Not async, so nothing of the
    /// read is kept alive by a state machine, and after one decode of the spec unmeasured (the serializer's pooled
    /// buffers, once rented, stay).
    /// </summary>
    private static (SweepLedger Ledger, long SpecHeap, long LedgerHeap, long CellsHeap) Load(byte[] specBytes, StoredTrials stored)
    {
        GC.KeepAlive(SweepSpecCodec.Decode(specBytes));
        var before = Heap();
        var spec = SweepSpecCodec.Decode(specBytes);
        foreach (var trial in spec.Trials) _ = trial.Id; // the ids the grain computes as it builds its ledger
        var withSpec = Heap();
        var ledger = new SweepLedger(spec, stored.Decode(), _ => null);
        ledger.ReleaseStoredResults();
        var withLedger = Heap();
        // The result cells a loaded sweep files its results into, and their summaries under the grid's selection.
        GC.KeepAlive(ledger.Results.Cells(spec.Select));
        return (ledger, withSpec - before, withLedger - withSpec, Heap() - withLedger);
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task DocumentRun(SqliteGrainStorage documents, IGrainStorageSerializer serializer, int size)
    {
        var spec = Sweep(size);
        var grainId = GrainId.Create("sweep", SweepIds.Of(spec));
        var state = new SweepState();
        var ledger = new SweepLedger(spec, state, _ => null);
        var events = new SweepEvents(ledger, spec, SweepIds.Of(spec), new SteppedClock());
        events.Seed();
        var document = new GrainState<SweepState>(state);
        var first = Stopwatch.StartNew();
        await documents.WriteStateAsync("trials", grainId, document);
        var firstWrite = first.Elapsed;
        var bytes = Bytes(serializer, state);

        // Its interval grew with the sweep: one write of the whole document per interval.
        var interval = Math.Clamp(size / 1000.0, 1, 10);
        var writes = new List<double>();
        long written = 0;
        for (var second = 1; second <= SimulatedSeconds; second++)
        {
            events.OneSecond();
            if (second % (int)interval != 0) continue;
            var timer = Stopwatch.StartNew();
            await documents.WriteStateAsync("trials", grainId, document);
            writes.Add(timer.Elapsed.TotalMilliseconds);
            written += Bytes(serializer, state);
        }
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var load = Stopwatch.StartNew();
        var read = new GrainState<SweepState>();
        await documents.ReadStateAsync("trials", grainId, read);
        var loaded = new SweepLedger(spec, read.State!, _ => null);
        var loadTime = load.Elapsed;
        var heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        GC.KeepAlive(loaded);
        writes.Sort();
        Print("whole document, sqlite", size, bytes, firstWrite, written / writes.Count, written / SimulatedSeconds, written / writes.Count,
            writes[writes.Count / 2], writes[^1], loadTime, heap / (double)size, null, null);
    }

    private static long Bytes(IGrainStorageSerializer serializer, SweepState state) => serializer.Serialize(state).ToMemory().Length;

    private static void Print(string store, int size, long firstBytes, TimeSpan firstTime, long perWrite, long perSecond, long largest, double p50, double max, TimeSpan load, double heapPerTrial, double? specPerTrial, double? cellsPerTrial) =>
        Console.WriteLine($"{store,-22} {size,8:N0} {Size(firstBytes) + $" {firstTime.TotalSeconds:0.0}s",12} {Size(perWrite),12} {Size(perSecond),12} {Size(largest),12} {p50,8:0.0}ms {max,8:0.0}ms {load.TotalSeconds,8:0.00}s {heapPerTrial,9:N0} B {(specPerTrial is { } spec ? $"{spec,9:N0} B" : ""),11} {(cellsPerTrial is { } cells ? $"{cells,9:N0} B" : "")}");

    private static string Size(long bytes) => bytes switch
    {
        >= 10L << 20 => $"{bytes / (1024.0 * 1024):0} MB",
        >= 1L << 20 => $"{bytes / (1024.0 * 1024):0.0} MB",
        >= 10L << 10 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} B",
    };

    private static SweepSpec Sweep(int trials)
    {
        var training = new TrainingSpec(1, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        return new SweepSpec($"store-{trials}", "bench", "", Enumerable.Range(1, trials)
            .Select(seed => new TrialSpec("sst2", null, "none", "smp-s", 0.5, "linear", null, seed, training with { ScoreLearningRate = 1e-2 + seed * 1e-9 }, "cpu")).ToList(),
            new ResourceSpec("cpu", 1), 0, 0);
    }
}
