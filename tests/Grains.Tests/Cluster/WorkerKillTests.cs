using System.Diagnostics.Metrics;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Metrics;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>
/// A trial's worker process is killed (SIGKILL) in the middle of training while another trial trains beside it on the
/// same silo: the attempt ends as crashed, is retried, and resumes from its checkpoint; the other trial, the silo and its
/// slots carry on as if nothing happened.
/// </summary>
public sealed class WorkerKillTests
{
    [Fact]
    public async Task WorkerKilledMidTrial_AttemptCrashed_ResumesFromItsCheckpoint_NeighbourUnaffected()
    {
        using var tiny = new TinyBert();
        using var work = new TemporaryFolder();
        var data = TinyTasks.WriteSst2Folder(work, repeats: 12);
        var training = SweepSpecs.Training with { Epochs = 40, BatchSize = 8 };
        var victim = SweepSpecs.Trial("smp-s", 0.5, 1, model: tiny.Directory, data: data, training: training);
        var neighbour = SweepSpecs.Trial("smp-s", 0.5, 2, model: tiny.Directory, data: data, training: training);
        var spec = new SweepSpec("worker-kill", "test", "", [victim, neighbour], new ResourceSpec("cpu", 1), 0, RetryLimit: 1);
        using var transitions = new TransitionCounts(SweepIds.Of(spec));
        await using var cluster = await SweepTestCluster.StartAsync([0, 2]);
        var sweep = cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec));
        await sweep.Submit(spec);

        // Past step 12 the checkpoint of step 10 is written (checkpoints every 2 steps, each after its step's report).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        TrialStatus running;
        while (true)
        {
            await Task.Delay(50);
            running = (await sweep.GetStatus())!.Trials.Single(t => t.Spec.Id == victim.Id);
            Assert.True(DateTime.UtcNow < deadline, $"the trial never got past step 12 (step {running.Progress?.Step})");
            Assert.NotEqual(TrialState.Done, running.State);
            if (running.Progress is { Phase: TrialPhase.Training, Step: >= 12 }) break;
        }
        var worker = Assert.Single(WorkerProcesses.Running(victim.Id));
        var killedAt = running.Progress.Step;
        Assert.Equal(0, Mono.Unix.Native.Syscall.kill(worker, Mono.Unix.Native.Signum.SIGKILL));

        var status = await cluster.WaitUntilFinished(SweepIds.Of(spec), TimeSpan.FromMinutes(5));
        var victimDone = status.Trials.Single(t => t.Spec.Id == victim.Id);
        var neighbourDone = status.Trials.Single(t => t.Spec.Id == neighbour.Id);
        var history = string.Join("; ", victimDone.History.Select(a => $"#{a.Number}: {a.Ending}"));
        Assert.Equal(TrialState.Done, victimDone.State);
        Assert.True(victimDone.Attempts == 2, history);
        Assert.StartsWith("crashed: the worker was killed by SIGKILL", victimDone.History[0].Ending);
        Assert.True(victimDone.Outcome!.ResumedFromStep >= 10, $"resumed from step {victimDone.Outcome.ResumedFromStep}, killed past step {killedAt}");
        Assert.Equal(TrialState.Done, neighbourDone.State);
        Assert.Equal(1, neighbourDone.Attempts);
        Assert.Equal("done", neighbourDone.History.Single().Ending);
        Assert.Equal(1, transitions.Of("crashed"));
        Assert.Equal(1, transitions.Of("retried"));
        Assert.All(cluster.SlotManagers().Values, slots => Assert.Equal(0, slots.Busy));
        Assert.All(await cluster.Client.GetGrain<ICapacityGrain>(0).GetUsage(), usage => Assert.Equal(0, usage.Busy));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(cluster.ArtifactRoot, "trials"), "result.json", SearchOption.AllDirectories).Length);
    }

    /// <summary>One sweep's <c>sweeps.trial.transitions</c> on every silo of this process, by label, as Prometheus would count them.</summary>
    private sealed class TransitionCounts : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly Dictionary<string, long> counts = [];

        public TransitionCounts(string sweepId)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SweepsMetrics.MeterName && instrument.Name == "sweeps.trial.transitions") l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? sweep = null, transition = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "sweep") sweep = (string?)tag.Value;
                    if (tag.Key == "transition") transition = (string?)tag.Value;
                }
                if (sweep == sweepId && transition is not null)
                    lock (counts) counts[transition] = counts.GetValueOrDefault(transition) + value;
            });
            listener.Start();
        }

        public long Of(string transition)
        {
            lock (counts) return counts.GetValueOrDefault(transition);
        }

        public void Dispose() => listener.Dispose();
    }
}
