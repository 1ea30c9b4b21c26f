using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Bench;

/// <summary>
/// Many trials at once on two silos of an in-process cluster (SQLite state, as embedded): stand-in trials that only
/// wait, so every cost measured is the cluster's. One sweep of 2 × TRIALS trials (TRIALS running, as many queued), heartbeats
/// at INTERVAL seconds, five page viewers asking the sweep's status every second and a `sweep list` loop reading the
/// catalog, for SECONDS. Reports the heartbeat round trips (the silos' own <c>sweeps.heartbeat.duration</c>), status
/// reads, and false re-queues: attempts after the first, when nothing failed or was lost.
/// </summary>
public static class HeartbeatLoad
{
    public static void Run(int trials, double seconds, double interval) => RunAsync(trials, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(interval)).GetAwaiter().GetResult();

    private static async Task RunAsync(int trials, TimeSpan window, TimeSpan interval)
    {
        var beats = new ConcurrentQueue<(double Seconds, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sweeps.heartbeat.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "outcome") beats.Enqueue((value, (string)tag.Value!));
        });
        listener.Start();

        var perSilo = (trials + 1) / 2;
        await using var cluster = await SweepTestCluster.StartAsync([perSilo, perSilo], slots => new SleepingTrialRunner(TimeSpan.FromHours(1), new SleepLog(), slots), o =>
        {
            o.HeartbeatInterval = interval;
            o.HeartbeatTimeout = TimeSpan.FromSeconds(60);
            o.SweepCheckInterval = TimeSpan.FromSeconds(2);
            o.CapacityReportInterval = TimeSpan.FromSeconds(2);
        });
        var training = new TrainingSpec(1, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var spec = new SweepSpec("heartbeats", "bench", "", Enumerable.Range(1, 2 * trials)
            .Select(seed => new TrialSpec("sst2", null, "none", "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList(), new ResourceSpec("cpu", 1), 0, 0);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec));
        await sweep.Submit(spec);
        var filling = Stopwatch.StartNew();
        while ((await sweep.GetProgress())!.Counts[TrialState.Running] < trials)
        {
            if (filling.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {(await sweep.GetProgress())!.Counts[TrialState.Running]} of {trials} trials started in 5 minutes");
            await Task.Delay(500);
        }
        Console.WriteLine($"{trials} trials running on 2 silos after {filling.Elapsed.TotalSeconds:F1} s; heartbeats every {interval.TotalSeconds:0.###} s; measuring {window.TotalSeconds:0} s");
        beats.Clear();

        using var stop = new CancellationTokenSource(window);
        var reads = new ConcurrentQueue<double>();
        async Task Viewer()
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await sweep.GetStatus();
                reads.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(1000).ContinueWith(_ => { });
            }
        }
        async Task Lister()
        {
            while (!stop.IsCancellationRequested)
            {
                await cluster.Client.GetGrain<ISweepCatalogGrain>(0).List();
                await Task.Delay(1000).ContinueWith(_ => { });
            }
        }
        await Task.WhenAll([.. Enumerable.Range(0, 5).Select(_ => Viewer()), Lister()]);

        var status = (await sweep.GetStatus())!;
        var requeued = status.Trials.Count(t => t.Attempts > 1 || t.History.Any(a => a.Ending?.StartsWith("lost", StringComparison.Ordinal) == true));
        var answered = beats.Where(b => b.Outcome == "answered").Select(b => b.Seconds * 1000).Order().ToList();
        var failed = beats.Count(b => b.Outcome == "failed");
        var sortedReads = reads.Order().ToList();
        Console.WriteLine($"  heartbeats: {answered.Count} answered, {failed} failed; round trip p50 {Percentile(answered, 0.5):F1} ms, p99 {Percentile(answered, 0.99):F1} ms, max {answered.LastOrDefault():F1} ms");
        Console.WriteLine($"  status reads (5 viewers, each every second): {sortedReads.Count}; p50 {Percentile(sortedReads, 0.5):F1} ms, p99 {Percentile(sortedReads, 0.99):F1} ms");
        Console.WriteLine($"  false re-queues: {requeued} (trials with a second attempt or an attempt lost); running at the end: {status.Count(TrialState.Running)}");
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
