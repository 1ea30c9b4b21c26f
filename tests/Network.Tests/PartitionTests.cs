using Sweeps.Grains.Interfaces.Sweeps;
using Xunit.Abstractions;

namespace Sweeps.Network.Tests;

/// <summary>
/// Silos alive but cut off, on hosts of their own (<see cref="PartitionCluster"/>). Each scenario's seed picks the
/// moment and the victim; the figures each prints are the ones docs/reliability.md records.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PartitionCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await PartitionCluster.StartAsync();

    public async Task DisposeAsync()
    {
        cluster.SaveLogs(scenario);
        await cluster.DisposeAsync();
    }

    private string scenario = "none";

    [Theory]
    [InlineData(17)]
    public async Task SiloCutOffPastTheTimeouts_ItsTrialResumesElsewhere_AndItsCopyStops(int seed)
    {
        scenario = $"cut-long-{seed}";
        var random = new Random(seed);
        var sweepId = await cluster.SubmitAsync(cluster.Grid("cut-long", seeds: 2, steps: 2000));
        var cutAtStep = random.Next(30, 60);
        var running = await cluster.WaitFor(sweepId, s => s.Trials.Count(t => t.State == TrialState.Running && t.Progress?.Step >= cutAtStep) == 2,
            TimeSpan.FromMinutes(3), "both trials past the cut's step");
        // Two trials on three one-slot silos: the third is free to take over.
        var victim = running.Trials[random.Next(2)];
        var silo = cluster.SiloOn(victim.Silo);

        cluster.Lab.Cut(silo.Host);
        var cutAt = DateTime.UtcNow;
        output.WriteLine($"{cutAt:HH:mm:ss.fff} cut {silo.Host.Name} ({silo.Host.Address}) running trial {victim.Spec.Id[..8]} at step {victim.Progress?.Step}");
        var stepAtCut = victim.Progress!.Step;
        await cluster.WaitFor(sweepId, s => s.Trials.Single(t => t.Spec.Id == victim.Spec.Id) is { Attempts: > 1, Silo: not null } t && t.Silo != victim.Silo,
            TimeSpan.FromMinutes(3), "the cut-off silo's trial running elsewhere");
        var movedAfter = DateTime.UtcNow - cutAt;
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} trial {victim.Spec.Id[..8]} runs elsewhere; healing");
        cluster.Lab.Heal(silo.Host);
        var healedAt = DateTime.UtcNow;

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(5), "the sweep to finish");
        var resumed = finished.Trials.Single(t => t.Spec.Id == victim.Spec.Id);
        output.WriteLine($"cut {silo.Host.Name} at step {stepAtCut}; running elsewhere after {movedAfter.TotalSeconds:0.0} s; " +
                         $"resumed from step {resumed.Outcome?.ResumedFromStep} ({stepAtCut - resumed.Outcome?.ResumedFromStep} steps lost); " +
                         $"silo process exited {(silo.FirstExit is { } exit ? $"{(exit - healedAt).TotalSeconds:0.0} s after the heal" : "never")}; " +
                         $"sweep took {(DateTime.UtcNow - cutAt).TotalSeconds:0} s after the cut");
        Assert.Equal(2, finished.Count(TrialState.Done));
        // Its copy stopped: fenced while cut off (its sweep was elsewhere), or with its silo once told it was dead.
        Assert.True(silo.Output.Contains("stopping this copy") || silo.FirstExit is not null, "the cut-off silo's copy ran on:\n" + cluster.Logs());
        Assert.True(resumed.Outcome!.ResumedFromStep > 0, "the trial started over instead of resuming from its checkpoint");
        Assert.Equal(2, cluster.ResultFiles);
        await cluster.NoSlotStaysLeased();
    }
}
