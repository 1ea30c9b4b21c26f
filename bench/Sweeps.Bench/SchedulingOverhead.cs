using System.Diagnostics;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Bench;

/// <summary>
/// Scheduling overhead on an in-process cluster of real silos (SQLite state, as embedded): N trials that sleep a fixed
/// time instead of training, over S silos × K slots. Prints trials/s, the sweep's wall time against the minimum
/// (ceil(N / slots) × trial time) as a ratio, and the dispatch latency: from a slot freeing (or the submission, for
/// the first wave) to the next trial starting on that silo.
/// </summary>
public static class SchedulingOverhead
{
    public static void Run(int trials, TimeSpan trialTime, int silos, int slotsPerSilo) => RunAsync(trials, trialTime, silos, slotsPerSilo).GetAwaiter().GetResult();

    private static async Task RunAsync(int trials, TimeSpan trialTime, int silos, int slotsPerSilo)
    {
        var log = new SleepLog();
        await using var cluster = await SweepTestCluster.StartAsync(Enumerable.Repeat(slotsPerSilo, silos).ToArray(),
            slots => new SleepingTrialRunner(trialTime, log, slots), o =>
            {
                o.HeartbeatInterval = TimeSpan.FromSeconds(2);
                o.HeartbeatTimeout = TimeSpan.FromSeconds(60);
            });
        await Task.Delay(TimeSpan.FromSeconds(2)); // every silo has reported its slots
        // Warm-up (JIT, connections, activations' code paths) with a small sweep of its own, then clear the log.
        var warmUp = Sweep("warm-up", 200, firstSeed: trials + 1);
        await cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(warmUp)).Submit(warmUp);
        await cluster.WaitUntilFinished(SweepIds.Of(warmUp), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));
        log.Runs.Clear();
        log.MostAtOnce.Clear();

        var spec = Sweep("bench", trials, firstSeed: 1);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec));

        var submitted = Stopwatch.GetTimestamp();
        await sweep.Submit(spec);
        var status = await cluster.WaitUntilFinished(SweepIds.Of(spec), TimeSpan.FromHours(1), TimeSpan.FromSeconds(1));
        var wall = Stopwatch.GetElapsedTime(submitted);

        var firstWave = DispatchLatencies(log, submitted).Where(l => l.FirstWave).Select(l => l.Milliseconds).Order().ToList();
        var latencies = DispatchLatencies(log, submitted).Where(l => !l.FirstWave).Select(l => l.Milliseconds).Order().ToList();
        var slots = silos * slotsPerSilo;
        var minimum = TimeSpan.FromTicks(trialTime.Ticks * (long)Math.Ceiling(trials / (double)slots));
        Console.WriteLine($"{trials} trials of {trialTime.TotalSeconds:0.###} s over {silos} silos x {slotsPerSilo} slots: {status.Count(TrialState.Done)} done in {wall.TotalSeconds:F1} s");
        Console.WriteLine($"  throughput {trials / wall.TotalSeconds:F0} trials/s; most at once per silo {log.MostAtOnce.Values.Max()} (slots {slotsPerSilo})");
        Console.WriteLine($"  dispatch latency, slot freed -> next trial starts there: p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms ({latencies.Count} dispatches)");
        Console.WriteLine($"  first wave, submit -> start ({firstWave.Count} trials): p50 {Percentile(firstWave, 0.50):F1} ms, max {firstWave[^1]:F1} ms");
        if (trialTime > TimeSpan.Zero)
            Console.WriteLine($"  wall / minimum = {wall.TotalSeconds:F1} s / {minimum.TotalSeconds:F0} s = {wall / minimum:F4} (overhead {(wall / minimum - 1) * 100:F2}%)");
    }

    private static SweepSpec Sweep(string name, int trials, int firstSeed)
    {
        var training = new TrainingSpec(1, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        return new SweepSpec(name, "bench", "", Enumerable.Range(firstSeed, trials)
            .Select(seed => new TrialSpec("sst2", null, "none", "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList(), new ResourceSpec("cpu", 1), 0, 0);
    }

    /// <summary>Per silo, each start after the first wave takes the earliest unused finish on that silo as the moment its slot freed.</summary>
    private static IEnumerable<(bool FirstWave, double Milliseconds)> DispatchLatencies(SleepLog log, long submitted)
    {
        foreach (var silo in log.Runs.GroupBy(r => r.Runner))
        {
            var starts = silo.Select(r => r.Start).Order().ToList();
            var finishes = new Queue<long>(silo.Select(r => r.End).Order());
            var firstWave = silo.Key.Slots;
            for (var i = 0; i < starts.Count; i++)
            {
                var freed = i < firstWave ? submitted : finishes.Dequeue();
                yield return (i < firstWave, Stopwatch.GetElapsedTime(freed, starts[i]).TotalMilliseconds);
            }
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
