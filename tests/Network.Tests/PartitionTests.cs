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
        // Long enough that the cut-off copy cannot finish before it is stopped (its fence waits twice the heartbeat
        // timeout, 40 s): a tiny-BERT trial in a worker of one thread makes 130 to 180 steps a second on a 2-core machine.
        var sweepId = await cluster.SubmitAsync(cluster.Grid("cut-long", seeds: 2, steps: 20000));
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

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(8), "the sweep to finish");
        var resumed = finished.Trials.Single(t => t.Spec.Id == victim.Spec.Id);
        output.WriteLine($"cut {silo.Host.Name} at step {stepAtCut}; running elsewhere after {movedAfter.TotalSeconds:0.0} s; " +
                         $"resumed from step {resumed.Outcome?.ResumedFromStep} ({stepAtCut - resumed.Outcome?.ResumedFromStep} steps lost); " +
                         $"silo process exited {(silo.FirstExit is { } exit ? $"{(exit - healedAt).TotalSeconds:0.0} s after the heal" : "never")}; " +
                         $"sweep took {(DateTime.UtcNow - cutAt).TotalSeconds:0} s after the cut; the cut trial took {Took(resumed):0} s " +
                         $"against {Took(finished.Trials.Single(t => t.Spec.Id != victim.Spec.Id)):0} s for the uncut one beside it");
        Assert.Equal(2, finished.Count(TrialState.Done));
        // Its copy stopped: fenced while cut off (its sweep was elsewhere), or with its silo once told it was dead.
        Assert.True(silo.Output.Contains("stopping this copy") || silo.FirstExit is not null, "the cut-off silo's copy ran on:\n" + cluster.Logs());
        Assert.True(resumed.Outcome!.ResumedFromStep > 0, "the trial started over instead of resuming from its checkpoint");
        Assert.Equal(2, cluster.ResultFiles);
        await cluster.NoSlotStaysLeased();
    }

    [Theory]
    [InlineData(23)]
    public async Task SiloCutOffBrieflyWithinTheTimeouts_NothingIsRunAgain_AndTheSweepFinishes(int seed)
    {
        scenario = $"cut-short-{seed}";
        var random = new Random(seed);
        var started = DateTime.UtcNow;
        var sweepId = await cluster.SubmitAsync(cluster.Grid("cut-short", seeds: 2, steps: 1000));
        var running = await cluster.WaitFor(sweepId, s => s.Trials.Count(t => t.State == TrialState.Running && t.Progress?.Step >= 40) == 2,
            TimeSpan.FromMinutes(3), "both trials running");
        var silo = cluster.SiloOn(running.Trials[random.Next(2)].Silo);
        var cut = TimeSpan.FromSeconds(random.Next(5, 9)); // well inside the heartbeat timeout and the failure detector

        cluster.Lab.Cut(silo.Host);
        await Task.Delay(cut);
        cluster.Lab.Heal(silo.Host);

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(5), "the sweep to finish");
        output.WriteLine($"cut {silo.Host.Name} for {cut.TotalSeconds:0} s; attempts {string.Join(", ", finished.Trials.Select(t => t.Attempts))}; " +
                         $"sweep took {(DateTime.UtcNow - started).TotalSeconds:0} s from submission; trials took {string.Join(" and ", finished.Trials.Select(t => $"{Took(t):0} s"))} (the cut one {Took(finished.Trials.Single(t => t.Silo?.Contains(silo.Host.Address + ":") == true)):0} s)");
        Assert.Equal(2, finished.Count(TrialState.Done));
        Assert.All(finished.Trials, t => Assert.Equal(1, t.Attempts));
        Assert.All(cluster.Silos, s => Assert.Equal(0, s.Restarts));
        Assert.Equal(2, cluster.ResultFiles);
        await cluster.NoSlotStaysLeased();
    }

    [Fact]
    public async Task RedisCutOffFromTheSweepsSilo_ThatSiloTakesNoNewTrials_AndTheSweepFinishesIntact()
    {
        scenario = "store-cut";
        // Trials of about 30 s in workers of one thread: two rounds on three slots span the 40 s cut.
        var sweepId = await cluster.SubmitAsync(cluster.Grid("store-cut", seeds: 6, steps: 6000));
        await cluster.WaitFor(sweepId, s => s.Count(TrialState.Running) == 3, TimeSpan.FromMinutes(3), "three trials running");
        // The silo the sweep itself lives on: the hardest case, since the sweep's own writes wait on the store.
        var silo = cluster.Silos.Single(s => s.Output.Contains($"Sweep {sweepId} submitted"));

        cluster.Lab.CutPath(silo.Host, cluster.Store);
        var cutAt = DateTime.UtcNow;
        // Its capacity reports stop within a probe's timeout; the view forgets it three report intervals later.
        var settled = cutAt + TimeSpan.FromSeconds(12);
        var startedThere = new HashSet<string>();
        while (DateTime.UtcNow < cutAt + TimeSpan.FromSeconds(40))
        {
            SweepStatus status;
            try
            {
                status = await cluster.StatusAsync(sweepId).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                continue; // the sweep's silo waits on the store it is cut from: ask again
            }
            foreach (var trial in status.Trials)
                if (trial.History is [.., { EndedAt: null } attempt] && attempt.StartedAt > settled && attempt.Silo?.Contains(silo.Host.Address + ":") == true)
                    startedThere.Add(trial.Spec.Id);
            await Task.Delay(500);
        }
        cluster.Lab.HealPath(silo.Host, cluster.Store);

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(5), "the sweep to finish");
        output.WriteLine($"cut {silo.Host.Name} from the store for 40 s; trials started there meanwhile: {startedThere.Count}; " +
                         $"attempts {string.Join(", ", finished.Trials.Select(t => t.Attempts))}; restarts {string.Join(", ", cluster.Silos.Select(s => s.Restarts))}");
        Assert.Empty(startedThere);
        Assert.Equal(6, finished.Count(TrialState.Done));
        Assert.Equal(6, cluster.ResultFiles);
        await cluster.NoSlotStaysLeased();
    }

    [Theory]
    [InlineData(41)]
    public async Task ClientCutOffWhileWatching_WatchCarriesOnOrSaysItLostTheCluster_AndTheSweepIsUnaffected(int seed)
    {
        scenario = $"client-cut-{seed}";
        var random = new Random(seed);
        var sweepId = await cluster.SubmitAsync(cluster.Grid("client-cut", seeds: 2, steps: 1200));
        using var watch = cluster.StartCli(["watch", sweepId, "--gateway", $"{cluster.SiloHosts[0].Address}:30000", .. cluster.User.CliArguments]);
        var watched = new System.Text.StringBuilder();
        watch.OutputDataReceived += (_, e) => { lock (watched) watched.AppendLine(e.Data); };
        watch.ErrorDataReceived += (_, e) => { lock (watched) watched.AppendLine(e.Data); };
        watch.BeginOutputReadLine();
        watch.BeginErrorReadLine();
        await cluster.WaitFor(sweepId, s => s.Count(TrialState.Running) == 2, TimeSpan.FromMinutes(3), "both trials running");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!Watched().Contains("] running", StringComparison.Ordinal)) // connected: its output is a pipe, so a line per running trial
        {
            Assert.True(DateTime.UtcNow < deadline && !watch.HasExited, "sweep watch never showed the sweep:\n" + Watched());
            await Task.Delay(200);
        }
        var cut = TimeSpan.FromSeconds(random.Next(30, 45)); // past the client's 30 s call timeout

        cluster.Lab.Cut(cluster.Client);
        await Task.Delay(cut);
        cluster.Lab.Heal(cluster.Client);

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(5), "the sweep to finish");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await watch.WaitForExitAsync(timeout.Token);
        var text = Watched();
        output.WriteLine($"client cut for {cut.TotalSeconds:0} s; watch exited {watch.ExitCode}; its last lines:\n{string.Join("\n", text.Split('\n').TakeLast(8))}");
        Assert.Equal(2, finished.Count(TrialState.Done));
        Assert.All(finished.Trials, t => Assert.Equal(1, t.Attempts));
        // It followed the sweep to its end (the table), or said plainly that it lost the cluster; never a stack trace.
        string Watched()
        {
            lock (watched) return watched.ToString();
        }
        Assert.True(watch.ExitCode == 0 ? text.Contains("sst2") : text.Contains("lost the cluster"), text);
        Assert.DoesNotContain("   at ", text);
    }

    [Theory]
    [InlineData(53)]
    public async Task EachSiloCutOffInTurn_WhileAThirtyTrialSweepRuns_EveryTrialFinishesOnce(int seed)
    {
        scenario = $"rolling-cut-{seed}";
        var random = new Random(seed);
        var started = DateTime.UtcNow;
        var sweepId = await cluster.SubmitAsync(cluster.Grid("rolling", seeds: 30, steps: 100));
        foreach (var silo in cluster.Silos)
        {
            await Task.Delay(TimeSpan.FromSeconds(random.Next(5, 15)));
            var cut = TimeSpan.FromSeconds(random.Next(10, 40)); // some within the timeouts, some past them
            cluster.Lab.Cut(silo.Host);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} cut {silo.Host.Name} for {cut.TotalSeconds:0} s");
            await Task.Delay(cut);
            cluster.Lab.Heal(silo.Host);
        }

        var finished = await cluster.WaitFor(sweepId, s => s.IsFinished, TimeSpan.FromMinutes(10), "the sweep to finish");
        output.WriteLine($"30 trials: {finished.Count(TrialState.Done)} done, attempts {finished.Trials.Sum(t => t.Attempts)}, " +
                         $"a trial took {finished.Trials.Where(t => t.Attempts == 1).Select(Took).Where(d => !double.IsNaN(d)).DefaultIfEmpty().Average():0.0} s on average when run once, " +
                         $"restarts {string.Join(", ", cluster.Silos.Select(s => s.Restarts))}; took {(DateTime.UtcNow - started).TotalSeconds:0} s");
        Assert.Equal(30, finished.Count(TrialState.Done));
        Assert.Equal(30, cluster.ResultFiles);
        await cluster.NoSlotStaysLeased();
    }

    /// <summary>A trial's wall time from its first start to its end, over all its attempts.</summary>
    private static double Took(TrialStatus trial) =>
        trial.History is [{ } first, ..] && trial.History[^1].EndedAt is { } end ? (end - first.StartedAt).TotalSeconds : double.NaN;
}
