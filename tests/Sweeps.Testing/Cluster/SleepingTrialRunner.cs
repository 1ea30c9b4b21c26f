using System.Collections.Concurrent;
using System.Diagnostics;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning.Training;

namespace Sweeps.Testing.Cluster;

/// <summary>
/// A trial runner for scheduling tests and benchmarks: sleeps (or returns at once) instead of training and records
/// when each trial ran and how many ran at once on its silo (one runner per silo). Never used by the product.
/// </summary>
public sealed class SleepingTrialRunner(TimeSpan duration, SleepLog log, int slots) : ITrialRunner
{
    private int running;

    /// <summary>The slots of the silo this runner serves.</summary>
    public int Slots { get; } = slots;

    public async Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly)
    {
        var spec = run.Spec;
        var now = Interlocked.Increment(ref running);
        log.Record(this, now);
        var started = DateTime.UtcNow;
        var startTicks = Stopwatch.GetTimestamp();
        try
        {
            progress.Report(new TrialProgress(TrainingPhase.Training, 0, 1, 0.5, spec.Keep, 0));
            if (duration > TimeSpan.Zero) await Task.Delay(duration, cancellation);
            log.Started[spec.Id] = started;
            log.Finished[spec.Id] = DateTime.UtcNow;
            log.Runs.Enqueue(new SleepRun(this, startTicks, Stopwatch.GetTimestamp()));
            return new TrialResult(spec.Task, spec.Method, spec.Classifier, spec.Keep, new Dictionary<string, double> { ["accuracy"] = spec.Keep },
                spec.Keep, new Dictionary<string, double>(), 0, 1, 0, DateTime.UtcNow - started, 0, [], []);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
}

/// <summary>One trial as a sleeping runner saw it, in <see cref="Stopwatch"/> ticks.</summary>
public sealed record SleepRun(SleepingTrialRunner Runner, long Start, long End);

/// <summary>What the sleeping runners saw: the most trials at once per runner (per silo), start and end times.</summary>
public sealed class SleepLog
{
    public ConcurrentDictionary<SleepingTrialRunner, int> MostAtOnce { get; } = new();
    public ConcurrentDictionary<string, DateTime> Started { get; } = new();
    public ConcurrentDictionary<string, DateTime> Finished { get; } = new();
    public ConcurrentQueue<SleepRun> Runs { get; } = new();

    public void Record(SleepingTrialRunner runner, int atOnce) => MostAtOnce.AddOrUpdate(runner, atOnce, (_, seen) => Math.Max(seen, atOnce));
}
