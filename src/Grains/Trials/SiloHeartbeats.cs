using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;

namespace Sweeps.Grains.Trials;

/// <summary>
/// The heartbeats of every trial running on this silo, batched: each interval, one call per sweep carries all of that
/// sweep's trials here with their progress and the evaluations the sweep has not acknowledged (never the loss trace,
/// which stays with the trial). The reply is the fence: a trial its sweep no longer holds here is stopped, as is every
/// trial whose sweep has not answered for twice the heartbeat timeout — the sweep gave it up after one timeout; the
/// second leaves time for a sweep whose own silo was cut off to come back on a silo this one can reach, which then
/// keeps it. Heartbeats are sent to every sweep a trial reports to; only the sweep that started it fences it.
/// </summary>
public sealed class SiloHeartbeats(
    IGrainFactory grains, ILocalSiloDetails silo, IOptions<SweepsOptions> options, TimeProvider time, SweepsMetrics metrics, ILogger<SiloHeartbeats> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<BeatingTrial, byte> trials = new();

    private SweepsOptions Settings => options.Value;

    /// <summary>Sends the trial's heartbeats until the returned handle is disposed; <paramref name="fence"/> is cancelled when the trial is to stop.</summary>
    /// <param name="subscribers">The sweeps the trial reports to (the one that started it first).</param>
    public IDisposable Track(string trialId, string sweepId, Func<IReadOnlyCollection<string>> subscribers, LatestProgress progress, CancellationTokenSource fence)
    {
        var trial = new BeatingTrial(trialId, sweepId, subscribers, progress, fence, time.GetUtcNow());
        trials[trial] = 0;
        return new Untrack(() => trials.TryRemove(trial, out _));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Settings.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken)) await BeatAsync(stoppingToken);
    }

    /// <summary>One round: a call per sweep with trials here, all at once, each waiting at most a quarter of the heartbeat timeout.</summary>
    public Task BeatAsync(CancellationToken stop)
    {
        var bySweep = trials.Keys.SelectMany(t => t.Subscribers().Select(sweep => (Sweep: sweep, Trial: t))).GroupBy(x => x.Sweep, x => x.Trial);
        return Task.WhenAll(bySweep.Select(group => BeatSweepAsync(group.Key, group.ToList(), stop)));
    }

    private async Task BeatSweepAsync(string sweepId, List<BeatingTrial> beating, CancellationToken stop)
    {
        var now = time.GetUtcNow();
        var beats = beating.Select(t => t.BeatFor(sweepId)).ToList();
        HeartbeatReply reply;
        var started = time.GetTimestamp();
        try
        {
            reply = await grains.GetGrain<ISweepGrain>(sweepId).Heartbeat(new SiloHeartbeat(silo.SiloAddress.ToString(), beats.Select(b => b.Beat).ToList()))
                .WaitAsync(Settings.HeartbeatTimeout / 4, stop);
            metrics.HeartbeatDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", "answered"));
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            metrics.HeartbeatDuration.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
            // One lost heartbeat (a sweep moving between silos, a busy silo) must not stop anything by itself.
            logger.LogWarning(e, "Heartbeat of {Trials} trials to sweep {Sweep} failed; the next one follows", beating.Count, sweepId);
            foreach (var trial in beating.Where(t => t.SweepId == sweepId && now - t.Confirmed > 2 * Settings.HeartbeatTimeout))
                Fence(trial, $"no word from its sweep for {2 * Settings.HeartbeatTimeout}, so the sweep has queued it again");
            return;
        }
        var notHeld = reply.NotHeld.ToHashSet();
        foreach (var (trial, (_, evaluationsSent)) in beating.Zip(beats))
        {
            trial.Acknowledged(sweepId, evaluationsSent, reply.Epoch);
            if (trial.SweepId != sweepId) continue;
            trial.Confirmed = now;
            // The first interval is spared: the trial's start may not be recorded by its sweep yet.
            if (notHeld.Contains(trial.TrialId) && now - trial.Tracked >= Settings.HeartbeatInterval) Fence(trial, "its sweep runs it elsewhere now");
        }
    }

    private void Fence(BeatingTrial trial, string why)
    {
        if (!trials.TryRemove(trial, out _)) return;
        logger.LogWarning("Trial {Trial}: {Why}; stopping this copy", trial.TrialId, why);
        _ = trial.Fence.CancelAsync(); // its callbacks stop a worker: not on this round's thread
    }

    /// <summary>A trial being beaten for: what each of its sweeps has acknowledged of its evaluations, and when its own sweep last answered.</summary>
    private sealed class BeatingTrial(
        string trialId, string sweepId, Func<IReadOnlyCollection<string>> subscribers, LatestProgress progress, CancellationTokenSource fence, DateTimeOffset tracked)
    {
        private readonly ConcurrentDictionary<string, (int Count, long Epoch)> acknowledged = new();

        public string TrialId => trialId;
        public string SweepId => sweepId;
        public CancellationTokenSource Fence => fence;
        public DateTimeOffset Tracked { get; } = tracked;
        public DateTimeOffset Confirmed { get; set; } = tracked;

        public IReadOnlyCollection<string> Subscribers() => subscribers();

        /// <summary>The beat for one sweep: progress without the trace, and the evaluations past those it acknowledged.</summary>
        public (TrialBeat Beat, int EvaluationsSent) BeatFor(string sweep)
        {
            var current = progress.Current;
            var skip = acknowledged.GetValueOrDefault(sweep).Count;
            return (new TrialBeat(trialId, current with { Evaluations = current.Evaluations.Skip(skip).ToList(), Trace = [] }), current.Evaluations.Count);
        }

        /// <summary>A new activation of the sweep (a new epoch) may have lost what the one before acknowledged: it is sent everything again.</summary>
        public void Acknowledged(string sweep, int evaluations, long epoch) =>
            acknowledged.AddOrUpdate(sweep, (evaluations, epoch), (_, before) => before.Epoch == epoch ? (evaluations, epoch) : (0, epoch));
    }

    private sealed class Untrack(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
