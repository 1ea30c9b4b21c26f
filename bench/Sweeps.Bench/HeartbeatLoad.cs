using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using StackExchange.Redis;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Storage.Trials;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Bench;

/// <summary>
/// Many trials at once on two silos of an in-process cluster: stand-in trials that only wait, so every cost measured is
/// the cluster's. One sweep of SWEEP trials, all but 2 × TRIALS of them with results already in the artefact store
/// (reused at submission), TRIALS running at once; heartbeats at INTERVAL seconds; five page viewers each reading what
/// the sweep's page reads every second (its summary, its result cells, a page of its running trials and a page of all
/// its trials), and a `sweep list` loop reading the catalog, for SECONDS.
/// Then the cluster is stopped and started again on the same state, and the sweep's activation is timed. Run on the
/// trial store's SQLite backend (as embedded) and on Redis where redis-server is installed. Reports the heartbeat round
/// trips (the silos' own <c>sweeps.heartbeat.duration</c>), the reads, false re-queues (attempts after the first, when
/// nothing failed or was lost), the activation, and one whole-status read beside them for comparison.
/// </summary>
public static class HeartbeatLoad
{
    public static void Run(int trials, double seconds, double interval, int sweepSize) =>
        RunAsync(trials, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(interval), Math.Max(sweepSize, 2 * trials)).GetAwaiter().GetResult();

    private static async Task RunAsync(int trials, TimeSpan window, TimeSpan interval, int sweepSize)
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores; a sweep of {sweepSize:N0} trials ({sweepSize - 2 * trials:N0} reused), {trials:N0} at once; heartbeats every {interval.TotalSeconds:0.###} s; measuring {window.TotalSeconds:0} s");
        await RunOnAsync("sqlite", null, trials, window, interval, sweepSize);
        if (!RedisServer.Available)
        {
            Console.WriteLine("redis: redis-server is not installed; skipped");
            return;
        }
        using var redis = new RedisServer();
        await RunOnAsync("redis", () => new RedisTrialStore(ConfigurationOptions.Parse(redis.ConnectionString), "bench"), trials, window, interval, sweepSize);
    }

    private static async Task RunOnAsync(string backend, Func<ITrialStore>? trialStore, int trials, TimeSpan window, TimeSpan interval, int sweepSize)
    {
        // Each heartbeat with when it ended (seconds into the window), to set the slowest beside what ran at that moment.
        var windowStart = Stopwatch.GetTimestamp();
        var beats = new ConcurrentQueue<(double Seconds, string Outcome, double At)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sweeps.heartbeat.duration") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "outcome") beats.Enqueue((value, (string)tag.Value!, Stopwatch.GetElapsedTime(windowStart).TotalSeconds));
        });
        listener.Start();

        var folder = new TemporaryFolder("sweeps-bench-heartbeats-");
        var perSilo = (trials + 1) / 2;
        void Options(Sweeps.Grains.Hosting.SweepsOptions o)
        {
            o.HeartbeatInterval = interval;
            o.HeartbeatTimeout = TimeSpan.FromSeconds(60);
            o.SweepCheckInterval = TimeSpan.FromSeconds(2);
            o.CapacityReportInterval = TimeSpan.FromSeconds(2);
        }
        Task<SweepTestCluster> Start() => SweepTestCluster.StartAsync([perSilo, perSilo],
            slots => new SleepingTrialRunner(TimeSpan.FromHours(1), new SleepLog(), slots), Options, folder, trialStore: trialStore);

        var training = new TrainingSpec(1, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var spec = new SweepSpec("heartbeats", "bench", "", Enumerable.Range(1, sweepSize)
            .Select(seed => new TrialSpec("sst2", null, "none", "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList(), new ResourceSpec("cpu", 1), 0, 0);
        // Most of the sweep finished before: results on disk, as a resubmitted or widened sweep finds them.
        var seeding = Stopwatch.StartNew();
        var store = new TrialArtifactStore(Path.Combine(folder.Path, "artifacts"));
        foreach (var trial in spec.Trials.Skip(2 * trials))
            store.SaveResult(trial.Id, new TrialResult(trial.Task, trial.Method, trial.Classifier, trial.Keep, new Dictionary<string, double> { ["accuracy"] = 0.9 },
                trial.Keep, new Dictionary<string, double>(), 0, 1, 0, TimeSpan.FromMinutes(1), 0, [], []));
        var seeded = seeding.Elapsed;

        var cluster = await Start();
        var sweep = cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec));
        var submitting = Stopwatch.StartNew();
        await sweep.Submit(spec);
        var submitted = submitting.Elapsed;
        var filling = Stopwatch.StartNew();
        while ((await sweep.GetProgress())!.Count(TrialState.Running) < trials)
        {
            if (filling.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {(await sweep.GetProgress())!.Count(TrialState.Running)} of {trials} trials started in 5 minutes");
            await Task.Delay(500);
        }
        Console.WriteLine($"{backend}: {sweepSize - 2 * trials:N0} results seeded in {seeded.TotalSeconds:F1} s; submitted in {submitted.TotalSeconds:F1} s; {trials} trials running after {filling.Elapsed.TotalSeconds:F1} s more");
        beats.Clear();
        windowStart = Stopwatch.GetTimestamp();
        var (gen2Before, pausedBefore) = (GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var firstCells = (Took: double.NaN, At: double.NaN);

        using var stop = new CancellationTokenSource(window);
        var (summaries, pages, cells, lists) = (new ConcurrentQueue<double>(), new ConcurrentQueue<double>(), new ConcurrentQueue<double>(), new ConcurrentQueue<double>());
        async Task Timed(ConcurrentQueue<double> into, Func<Task> read)
        {
            var started = Stopwatch.GetTimestamp();
            await read();
            into.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        async Task Viewer(int viewer)
        {
            for (var page = viewer; !stop.IsCancellationRequested; page += 5)
            {
                // What the sweep's page reads each second: the summary, the cells, the running trials and a page of all.
                await Timed(summaries, sweep.GetProgress);
                await Timed(cells, () => sweep.GetResults());
                if (double.IsNaN(firstCells.At)) firstCells = (cells.First(), Stopwatch.GetElapsedTime(windowStart).TotalSeconds);
                await Timed(pages, () => sweep.GetTrials(new TrialQuery(0, TrialQuery.DefaultLimit, [TrialState.Running])));
                await Timed(pages, () => sweep.GetTrials(new TrialQuery(page * TrialQuery.DefaultLimit % sweepSize)));
                await Task.Delay(1000).ContinueWith(_ => { });
            }
        }
        async Task Lister()
        {
            while (!stop.IsCancellationRequested)
            {
                await Timed(lists, cluster.Client.GetGrain<ISweepCatalogGrain>(0).List);
                await Task.Delay(1000).ContinueWith(_ => { });
            }
        }
        await Task.WhenAll([.. Enumerable.Range(0, 5).Select(Viewer), Lister()]);
        var (gen2, paused) = (GC.CollectionCount(2) - gen2Before, GC.GetTotalPauseDuration() - pausedBefore);

        var whole = Stopwatch.StartNew();
        var status = (await sweep.GetStatus())!;
        var wholeRead = whole.Elapsed;
        var requeued = status.Trials.Count(t => t.Attempts > 1 || t.History.Any(a => a.Ending?.StartsWith("lost", StringComparison.Ordinal) == true));
        var answered = beats.Where(b => b.Outcome == "answered").Select(b => b.Seconds * 1000).Order().ToList();
        var failed = beats.Count(b => b.Outcome == "failed");
        Console.WriteLine($"  heartbeats: {answered.Count} answered, {failed} failed; round trip p50 {Percentile(answered, 0.5):F1} ms, p99 {Percentile(answered, 0.99):F1} ms, max {answered.LastOrDefault():F1} ms");
        if (beats.Where(b => b.Outcome == "answered").MaxBy(b => b.Seconds) is { Outcome: not null } slowest)
            Console.WriteLine($"  the slowest heartbeat ended {slowest.At:F1} s into the window; the first result cells read ended at {firstCells.At:F1} s after {firstCells.Took:F0} ms; " +
                $"the process paused for garbage collection {paused.TotalMilliseconds:F0} ms in all ({gen2} full collections)");
        Console.WriteLine($"  summary reads: {Line(summaries)}; a page of {TrialQuery.DefaultLimit} trials (running, or any): {Line(pages)}; result cells: {Line(cells)}; catalog list: {Line(lists)}");
        Console.WriteLine($"  the whole status, once, beside them: {wholeRead.TotalMilliseconds:F0} ms for {status.Trials.Count:N0} trials");
        Console.WriteLine($"  false re-queues: {requeued} (trials with a second attempt or an attempt lost); running at the end: {status.Count(TrialState.Running)}");

        // The cluster goes down and comes back on the same state: the sweep's first read activates it (claim, read, decode, recover).
        await cluster.Cluster.StopAllSilosAsync();
        await cluster.Cluster.DisposeAsync();
        await using var again = await Start();
        var activating = Stopwatch.StartNew();
        var progress = await again.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec)).GetProgress();
        Console.WriteLine($"  activation after a restart: {activating.Elapsed.TotalSeconds:F2} s for {progress!.Trials:N0} trials ({progress.Finished:N0} finished)");
    }

    private static string Line(ConcurrentQueue<double> times)
    {
        var sorted = times.Order().ToList();
        return $"{sorted.Count} reads, p50 {Percentile(sorted, 0.5):F1} ms, p99 {Percentile(sorted, 0.99):F1} ms";
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
