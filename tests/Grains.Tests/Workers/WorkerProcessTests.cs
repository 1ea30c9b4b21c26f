using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Sweeps.Grains.Workers;

namespace Sweeps.Grains.Tests.Workers;

/// <summary>
/// A worker as the operating system sees it: what a slot pins it to (read from the process's own environment, so it
/// holds on a machine without a GPU), that it ends when its silo's pipe closes, and that a silo finds the workers a
/// crashed predecessor left.
/// </summary>
public sealed class WorkerProcessTests
{
    [Fact]
    public async Task WorkerForCuda3_SeesExactlyThatDevice_AndItsShareOfThreads()
    {
        var launcher = new WorkerLauncher(new WorkerSettings { Threads = 3 }, slotCount: 4);
        await using var worker = await WorkerProcess.StartAsync(launcher.StartInfo("cuda:3", "trial-a"), NullLogger.Instance);

        var environment = EnvironmentOf(worker.Id);
        Assert.Equal("3", environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("3", environment["OMP_NUM_THREADS"]);
        Assert.Equal("cuda:0", WorkerLauncher.DeviceInWorker("cuda:3"));
    }

    [Fact]
    public async Task WorkerForACpuSlot_SeesNoGpu_AndTheCoresSharedAmongTheSlots()
    {
        var launcher = new WorkerLauncher(new WorkerSettings(), slotCount: 2);
        await using var worker = await WorkerProcess.StartAsync(launcher.StartInfo("cpu", "trial-b"), NullLogger.Instance);

        var environment = EnvironmentOf(worker.Id);
        Assert.Equal("", environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2).ToString(), environment["OMP_NUM_THREADS"]);
        Assert.Equal("cpu", WorkerLauncher.DeviceInWorker("cpu"));
    }

    [Fact]
    public async Task Worker_WhoseSiloClosesThePipeBeforeStarting_Exits()
    {
        var launcher = new WorkerLauncher(new WorkerSettings(), slotCount: 1);
        var start = launcher.StartInfo("cpu", "trial-c");
        using var worker = Process.Start(start)!;
        worker.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await worker.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, worker.ExitCode);
        Assert.Contains("expected a start message", await worker.StandardError.ReadToEndAsync());
    }

    [Fact]
    public async Task SiloThatStarts_EndsWorkersWhoseSiloIsGone_AndKeepsLiveSilosWorkers()
    {
        using var goneSilo = Process.Start("sleep", "600");
        var goneTag = ProcessTag.Of(goneSilo.Id)!;
        var launcher = new WorkerLauncher(new WorkerSettings(), slotCount: 1);
        var orphanStart = launcher.StartInfo("cpu", "trial-orphan");
        orphanStart.ArgumentList[orphanStart.ArgumentList.IndexOf(WorkerLauncher.ParentArgument) + 1] = goneTag;
        await using var orphan = await WorkerProcess.StartAsync(orphanStart, NullLogger.Instance);
        await using var kept = await WorkerProcess.StartAsync(launcher.StartInfo("cpu", "trial-kept"), NullLogger.Instance);

        Assert.DoesNotContain(OrphanedWorkers.Find(), w => w.ProcessId == orphan.Id); // its silo still runs
        goneSilo.Kill();
        await goneSilo.WaitForExitAsync();
        Assert.Contains(OrphanedWorkers.Find(), w => w.ProcessId == orphan.Id && w.Parent == goneTag);

        await new OrphanedWorkers(NullLogger<OrphanedWorkers>.Instance).StartAsync(CancellationToken.None);
        var exit = await orphan.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(128 + 9, exit);
        Assert.False(kept.Exited.IsCompleted, "the worker of a live silo was ended");
        Assert.DoesNotContain(OrphanedWorkers.Find(), w => w.ProcessId == kept.Id);
    }

    [Fact]
    public void ProcessTag_TellsALiveProcessFromAGoneOne_AndFromAnotherStartTime()
    {
        Assert.True(ProcessTag.IsAlive(ProcessTag.OfThisProcess));
        var pid = ProcessTag.OfThisProcess.Split(':')[0];
        Assert.False(ProcessTag.IsAlive($"{pid}:1")); // the same id, started at another time: a reused id
        Assert.False(ProcessTag.IsAlive("999999999:1"));
    }

    private static Dictionary<string, string> EnvironmentOf(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v.Length > 1 ? v[1] : "");
}
