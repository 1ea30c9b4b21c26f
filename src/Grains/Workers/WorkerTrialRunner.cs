using Microsoft.Extensions.Logging;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning;
using Sweeps.Pruning.Training;
using Sweeps.Worker.Protocol;

namespace Sweeps.Grains.Workers;

/// <summary>
/// The product's runner: each attempt in a worker process of its own (<see cref="WorkerLauncher"/>), so whatever the
/// trial leaves behind — native heap, a CUDA context, a crash in native code — ends with that process, and the silo
/// and the other trials on its node carry on. It passes the worker's progress on, asks it to checkpoint and stop when
/// cancelled (killing it after <see cref="WorkerSettings.StopGrace"/>), kills it when it reports nothing for
/// <see cref="WorkerSettings.HangTimeout"/>, and says how the attempt ended.
/// </summary>
public sealed class WorkerTrialRunner(TrialInputGuard inputs, WorkerLauncher launcher, SweepsCache cache, ILogger<WorkerTrialRunner> logger) : ITrialRunner
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public async Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly)
    {
        var config = inputs.Check(run.Spec, WorkerLauncher.DeviceInWorker(run.TorchDevice));
        cancellation.ThrowIfCancellationRequested();
        var cap = run.MemoryCapBytes ?? launcher.DefaultMemoryCap;
        await using var worker = await WorkerProcess.StartAsync(launcher.StartInfo(run.TorchDevice, run.Spec.Id), logger);
        await worker.SendAsync(new WorkerStart(run.Spec.Id, run.Attempt, config, run.Folder, cache.Root, launcher.Threads, cap));

        var ending = new WorkerEnding(run.Spec.Id, cap);
        var settings = launcher.Settings;
        using var onStop = cancellation.Register(() => _ = Stop(worker, settings.StopGrace));
        using var onStopEarly = stopEarly.Register(() => _ = worker.SendAsync(WorkerCommand.StopEarly));
        using var watching = new CancellationTokenSource();
        var watch = WatchForHang(worker, settings.HangTimeout, ending, watching.Token);
        await foreach (var report in worker.Reports.ReadAllAsync(CancellationToken.None))
        {
            switch (report.Kind)
            {
                case WorkerReportKind.Ready when report.Ready is { } ready:
                    logger.LogInformation("Trial {Trial}: worker {Worker} on {Device} (CUDA_VISIBLE_DEVICES={Visible}), {Threads} threads, memory cap {Cap}",
                        run.Spec.Id, ready.ProcessId, run.TorchDevice, ready.VisibleDevices ?? "unset", ready.Threads,
                        ready.MemoryCapBytes is { } bytes ? MemorySize.Format(bytes) : "none");
                    break;
                case WorkerReportKind.Progress when report.Progress is { } step:
                    ending.Saw(step);
                    progress.Report(step);
                    break;
                case WorkerReportKind.Counts when report.Counts is { } counts:
                    TrainingMeter.Add(counts);
                    break;
                default:
                    if (report.EndsAttempt) ending.Ended(report);
                    break;
            }
        }
        var exitCode = await worker.Exited;
        await watching.CancelAsync();
        await watch;
        return ending.Outcome(exitCode, worker.Tail, cancellation.IsCancellationRequested, settings.HangTimeout);
    }

    /// <summary>Asks for a checkpoint and an exit; kills the worker if it has not gone after the grace period.</summary>
    private static async Task Stop(WorkerProcess worker, TimeSpan grace)
    {
        await worker.SendAsync(WorkerCommand.Stop);
        if (await Task.WhenAny(worker.Exited, Task.Delay(grace)) != worker.Exited) worker.Kill();
    }

    private static async Task WatchForHang(WorkerProcess worker, TimeSpan timeout, WorkerEnding ending, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(WatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (worker.Silence <= timeout) continue;
                ending.Hung();
                worker.Kill();
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
