using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing.Cluster;

namespace Sweeps.Grains.Tests.Cluster;

/// <summary>ASHA on a real cluster with stand-in trials: stopped trials free their slots, keep their best evaluation, and the sweep finishes.</summary>
public sealed class EarlyStoppingTests
{
    [Fact]
    public async Task TrialsBelowTheRungsCutoff_AreStoppedThere_TheirSlotsTakenByQueuedTrials_AndTheSweepFinishes()
    {
        await using var cluster = await SweepTestCluster.StartAsync([3], _ => new EvaluatingTrialRunner(steps: 100, every: 10, pause: TimeSpan.FromMilliseconds(150)));
        // Nine trials of one task and keep, each worse than the one before: its score_lr is its accuracy here.
        var trials = Enumerable.Range(0, 9)
            .Select(i => SweepSpecs.Trial("smp-s", 0.5, seed: 1, training: SweepSpecs.Training with { ScoreLearningRate = 0.9 - i * 0.05 }))
            .ToList();
        var spec = new SweepSpec("asha", "test", "", trials, new ResourceSpec("cpu", 1), 0, 2)
        {
            EarlyStopping = new EarlyStoppingSpec("accuracy", Maximize: true, Grace: 10, ReductionFactor: 3, Max: 100, StopCollapsed: false),
        };
        var id = SweepIds.Of(spec);

        await cluster.Client.GetGrain<ISweepGrain>(id).Submit(spec);
        var status = await cluster.WaitUntilFinished(id, TimeSpan.FromMinutes(3));

        Assert.Equal(9, status.Count(TrialState.Done) + status.Count(TrialState.Stopped));
        // The best trial is never below a cutoff; every trial started after the first three meets better values at
        // its first rung, so it stops there.
        Assert.Equal(TrialState.Done, status.Trials[0].State);
        Assert.All(status.Trials.Skip(3), t => Assert.Equal(TrialState.Stopped, t.State));
        foreach (var stopped in status.Trials.Where(t => t.State == TrialState.Stopped))
        {
            Assert.NotNull(stopped.Outcome);
            Assert.InRange(stopped.Outcome!.StoppedAtStep!.Value, 10, 90);
            Assert.Equal(stopped.Spec.Training.ScoreLearningRate, stopped.Outcome.Metrics[0].Value); // its best evaluation is its result
            Assert.Equal(stopped.Outcome.StoppedAtStep, stopped.Curve[^1].Step);
        }
        Assert.Equal(100, status.Trials[0].Outcome!.Steps);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), status.Trials[0].Curve.Select(c => c.Step)); // every evaluation, in step order
        Assert.All(cluster.SlotManagers().Values, m => Assert.Equal(0, m.Busy));
    }
}
