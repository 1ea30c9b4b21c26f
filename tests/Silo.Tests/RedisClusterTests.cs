using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// Cluster mode: two silo hosts configured as in a deployment (Redis membership, state and reminders) run a sweep of real
/// tiny-BERT trials; both are stopped mid-sweep and two new ones started on the same Redis finish it.
/// </summary>
public sealed class RedisClusterTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task TwoSilosOnRedis_StoppedMidSweepAndRestarted_FinishTheSweepWithOneResultPerTrial()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        using var redis = new RedisServer();
        var data = TinyTasks.WriteSst2Folder(work, repeats: 20);
        // 1,600 steps (about 10 s) a trial: the stop must land while the trial seen early in training still trains (at
        // 400 steps it could finish in the second between being seen and the stop).
        var training = new TrainingSpec(160, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var trials = Enumerable.Range(1, 6).Select(seed => new TrialSpec("sst2", data, tiny.Directory, "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList();
        var spec = new SweepSpec("redis", "test", "", trials, new ResourceSpec("cpu", 1), 0, 2);
        var sweepId = SweepIds.Of(spec);

        var first = await StartSilos(redis);
        await Grains(first).GetGrain<ISweepGrain>(sweepId).Submit(spec);
        // Stopped while a trial is early in training (progress is reported every 0.2 s), both silos at once: stopped one
        // after the other, the second silo's trial could finish meanwhile, and a trial caught before its first step
        // resumes from step 0.
        var before = await WaitFor(first, sweepId, s => s.Count(TrialState.Done) >= 1 && s.Trials.Any(EarlyInTraining));
        var doneBefore = before.Trials.Where(t => t.State == TrialState.Done).Select(t => t.Spec.Id).ToList();
        var caught = before.Trials.First(EarlyInTraining);
        await StopSilos(first, together: true);

        var second = await StartSilos(redis);
        var status = await WaitFor(second, sweepId, s => s.IsFinished);
        await StopSilos(second);

        Assert.InRange(doneBefore.Count, 1, 5);
        Assert.Equal(6, status.Count(TrialState.Done));
        var resumed = status.Trials.Single(t => t.Spec.Id == caught.Spec.Id); // stopped while training, resumed from its checkpoint
        Assert.True(resumed.Attempts == 2 && resumed.Outcome!.ResumedFromStep > 0,
            $"seen at step {caught.Progress!.Step}: {resumed.Attempts} attempts, resumed from step {resumed.Outcome?.ResumedFromStep}; history: {string.Join("; ", resumed.History)}");
        Assert.All(doneBefore, id => Assert.Equal(1, status.Trials.Single(t => t.Spec.Id == id).Attempts));
        Assert.Equal(6, Directory.GetFiles(Path.Combine(work.Path, "artifacts", "trials"), "result.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task RedisRestartedMidSweep_TheSweepCarriesOn_OneResultPerTrial()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        using var redis = new RedisServer();
        var data = TinyTasks.WriteSst2Folder(work, repeats: 20);
        var training = new TrainingSpec(40, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var trials = Enumerable.Range(1, 6).Select(seed => new TrialSpec("sst2", data, tiny.Directory, "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList();
        var spec = new SweepSpec("redis-restart", "test", "", trials, new ResourceSpec("cpu", 1), 0, 2);
        var sweepId = SweepIds.Of(spec);

        var silos = await StartSilos(redis);
        await Grains(silos).GetGrain<ISweepGrain>(sweepId).Submit(spec);
        await WaitFor(silos, sweepId, s => s.Count(TrialState.Done) >= 1 && s.Count(TrialState.Running) >= 1);
        redis.Restart(); // killed and started again on its append-only file, while trials train and report
        var status = await WaitFor(silos, sweepId, s => s.IsFinished);
        await NoSlotStaysLeased(silos);
        await StopSilos(silos);

        Assert.Equal(6, status.Count(TrialState.Done));
        Assert.Equal(6, Directory.GetFiles(Path.Combine(work.Path, "artifacts", "trials"), "result.json", SearchOption.AllDirectories).Length);
    }

    private static bool EarlyInTraining(TrialStatus trial) =>
        trial.State == TrialState.Running && trial.Progress is { Phase: TrialPhase.Training, Step: >= 1 and <= 200 };

    private async Task<WebApplication[]> StartSilos(RedisServer redis)
    {
        var silos = new WebApplication[2];
        for (var i = 0; i < silos.Length; i++)
        {
            silos[i] = SiloHost.Build(RedisSiloArguments.For(redis, Path.Combine(work.Path, "artifacts"), cpuSlots: 1,
                "--Sweeps:CheckpointEverySteps", "5",
                "--Sweeps:HeartbeatTimeout", "00:00:10",
                "--Sweeps:HeartbeatInterval", "00:00:00.2",
                "--Sweeps:SweepCheckInterval", "00:00:00.5",
                "--Sweeps:CapacityReportInterval", "00:00:00.5"));
            await silos[i].StartAsync();
        }
        return silos;
    }

    private static async Task StopSilos(WebApplication[] silos, bool together = false)
    {
        if (together) await Task.WhenAll(silos.Select(silo => silo.StopAsync()));
        foreach (var silo in silos)
        {
            if (!together) await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    /// <summary>Every silo's slot manager and the capacity view settle at zero busy slots (releases follow the last report closely).</summary>
    private static async Task NoSlotStaysLeased(WebApplication[] silos)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var leased = silos.Sum(s => s.Services.GetRequiredService<Sweeps.Grains.Devices.DeviceSlotManager>().Busy);
            var reserved = (await Grains(silos).GetGrain<ICapacityGrain>(0).GetUsage()).Sum(u => u.Busy);
            if (leased == 0 && reserved == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"{leased} slots still leased, {reserved} still reserved in the capacity view");
            await Task.Delay(100);
        }
    }

    private static IGrainFactory Grains(WebApplication[] silos) => silos[0].Services.GetRequiredService<IGrainFactory>();

    private static async Task<SweepStatus> WaitFor(WebApplication[] silos, string sweepId, Func<SweepStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var status = await Grains(silos).GetGrain<ISweepGrain>(sweepId).GetStatus();
            if (status is not null && condition(status)) return status;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("sweep did not get there in 3 minutes");
            await Task.Delay(200);
        }
    }
}
