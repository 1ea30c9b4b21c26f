using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>A silo dies while it trains a real (tiny BERT) trial: the sweep still completes, the trial resumes from its checkpoint.</summary>
public sealed class SiloLossTests
{
    [Fact]
    public async Task KillingTheSiloThatTrains_TrialResumesFromItsCheckpointOnAnotherSilo_OneResult()
    {
        using var tiny = new TinyBert();
        using var work = new TemporaryFolder();
        var data = TinyTasks.WriteSst2Folder(work, repeats: 40);
        var training = SweepSpecs.Training with { Epochs = 150, BatchSize = 8 };
        var trial = SweepSpecs.Trial("smp-s", 0.5, 1, model: tiny.Directory, data: data, training: training);
        var spec = new SweepSpec("silo-loss", "test", "", [trial], new ResourceSpec("cpu", 1), 0, 2);
        // Silo 0 (pool "control") keeps the membership table; silos 1 and 2 have one slot each.
        // A heartbeat timeout of 15 s, not the test cluster's 5: with this assembly's other clusters training beside it on
        // two cores, heartbeats have been seen to lapse for 5 s on a silo that was alive, which re-queued the trial
        // before the kill and made a third attempt.
        await using var cluster = await SweepTestCluster.StartAsync([0, 1, 1], tweak: o =>
        {
            o.CheckpointEverySteps = 5;
            o.HeartbeatTimeout = TimeSpan.FromSeconds(15);
        });
        var sweep = cluster.Client.GetGrain<ISweepGrain>(SweepIds.Of(spec));
        await sweep.Submit(spec);

        // The kill comes once the trial is past step 20 and its start is in the store: the sweep writes its state at
        // most once a second, so a start not yet written could die unrecorded with a sweep grain living on the victim.
        // Both are conditions waited for, however slowly a loaded machine gets there.
        TrialStatus running;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            await Task.Delay(100);
            running = (await sweep.GetStatus())!.Trials[0];
            Assert.True(DateTime.UtcNow < deadline, $"the trial never got past step 20 with its start stored (step {running.Progress?.Step})");
            Assert.NotEqual(TrialState.Done, running.State);
            if (running.Progress is not { Phase: TrialPhase.Training, Step: >= 20 }) continue;
            var stored = (await cluster.StoredTrials(SweepIds.Of(spec))).Trials.GetValueOrDefault(trial.Id);
            if (stored is { State: TrialState.Running, Attempts: >= 1 }) break;
        }
        var victim = cluster.Cluster.Silos.Single(s => s.SiloAddress.ToString() == running.Silo);
        var killedAt = DateTimeOffset.UtcNow;
        await cluster.Cluster.KillSiloAsync(victim);

        var status = await cluster.WaitUntilFinished(SweepIds.Of(spec), TimeSpan.FromMinutes(5));

        var done = status.Trials[0];
        Assert.Equal(TrialState.Done, done.State);
        Assert.True(done.Attempts == 2, $"{done.Attempts} attempts: " + string.Join("; ", done.History.Select(a =>
            $"#{a.Number} on {a.Silo ?? "?"} {a.StartedAt:HH:mm:ss.fff}–{a.EndedAt:HH:mm:ss.fff}: {a.Ending ?? "running"}")) + $" (killed {running.Silo} at {killedAt:HH:mm:ss.fff})");
        Assert.NotEqual(running.Silo, done.Silo);
        Assert.True(done.Outcome!.ResumedFromStep >= 20, $"resumed from step {done.Outcome.ResumedFromStep}, expected at least 20");
        Assert.Single(Directory.GetFiles(Path.Combine(cluster.ArtifactRoot, "trials"), "result.json", SearchOption.AllDirectories));
    }
}
