using System.Runtime.InteropServices;
using Sweeps.Artifacts;
using Sweeps.Pruning;
using Sweeps.Pruning.Trials;
using Sweeps.Worker.Protocol;
using TorchSharp;

namespace Sweeps.Worker;

/// <summary>
/// A worker's life: read the one trial it runs from standard input, apply its limits, train it with the engine while
/// passing every progress report on to standard output, and end with one report that says how the attempt ended.
/// Commands (stop, stop early) arrive on standard input while it trains; end of input means the silo is gone.
/// </summary>
public static class TrialWorker
{
    /// <summary>How long a worker whose silo closed the pipe may take to checkpoint before it exits regardless.</summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(Stream input, Stream output)
    {
        NativeProcess.DieWithParent();
        using var reports = new ReportWriter(output);
        using var commands = new StreamReader(input);
        if (await commands.ReadLineAsync() is not { } first || WorkerJson.TryRead<WorkerStart>(first) is not { } start)
        {
            // No start: the silo died before sending one, or this was not started by a silo.
            await Console.Error.WriteLineAsync("worker: expected a start message (one JSON line) on standard input");
            return 2;
        }

        if (start.MemoryCapBytes is { } cap && CapMemory(cap) is { } refusal)
        {
            reports.Send(new WorkerReport(WorkerReportKind.OutOfMemory) { Reason = refusal });
            return 3;
        }
        torch.set_num_threads(Math.Max(1, start.Threads));
        reports.Send(new WorkerReport(WorkerReportKind.Ready)
        {
            Ready = new WorkerReady(Environment.ProcessId, Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES"), start.Config.Device,
                torch.get_num_threads(), start.MemoryCapBytes),
        });

        using var stop = new CancellationTokenSource();
        using var stopEarly = new CancellationTokenSource();
        // SIGTERM (a kill by an operator, the silo's container stopping) checkpoints like a stop command. SIGINT, which a
        // terminal sends to the whole foreground group on Ctrl-C, is the silo's to act on: it sends the stop.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        _ = Task.Run(() => FollowCommands(commands, stop, stopEarly));
        using var counts = new EngineCounts(reports);

        var progress = new ProgressRelay(reports, WorkerFaults.For(start.TrialId, start.Attempt));
        try
        {
            var result = await TrialTrainer.RunAsync(start.Config, start.OutputFolder, new SweepsCache(start.CacheRoot), progress, stop.Token, stopEarly.Token);
            counts.Flush();
            reports.Send(new WorkerReport(WorkerReportKind.Result) { Result = result });
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            counts.Flush();
            reports.Send(new WorkerReport(WorkerReportKind.Interrupted));
            return 0;
        }
        catch (Exception e) when (AllocationFailure.Is(e))
        {
            var where = progress.Step > 0 ? $" at step {progress.Step}" : "";
            // A device's memory is the device's; host memory is what the cap bounds.
            var within = e.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase) ? " on its device"
                : start.MemoryCapBytes is { } bytes ? $" within the worker's memory cap of {MemorySize.Format(bytes)}" : "";
            reports.Send(new WorkerReport(WorkerReportKind.OutOfMemory) { Reason = $"an allocation failed{where}{within}: {ErrorSummary.Of(e)}" });
            return 3;
        }
        catch (Exception e)
        {
            reports.Send(new WorkerReport(WorkerReportKind.Failed) { Reason = ErrorSummary.Of(e) });
            return 1;
        }
    }

    /// <summary>Applies the cap; returns why it cannot be met when the worker already maps more than it allows.</summary>
    private static string? CapMemory(long cap)
    {
        var mapped = NativeProcess.StatusBytes("VmData") ?? 0;
        if (mapped >= cap)
            return $"the memory cap of {MemorySize.Format(cap)} is below the {MemorySize.Format(mapped)} the worker maps before loading anything";
        NativeProcess.CapData(cap);
        return null;
    }

    private static async Task FollowCommands(StreamReader commands, CancellationTokenSource stop, CancellationTokenSource stopEarly)
    {
        try
        {
            while (await commands.ReadLineAsync() is { } line)
            {
                switch (WorkerJson.TryReadCommand(line))
                {
                    case WorkerCommand.Stop:
                        await stop.CancelAsync();
                        break;
                    case WorkerCommand.StopEarly:
                        await stopEarly.CancelAsync();
                        break;
                    default:
                        await Console.Error.WriteLineAsync($"worker: ignored a line that is no command: {line}");
                        break;
                }
            }
        }
        catch (IOException)
        {
        }
        // The silo closed the pipe or died (a parent-death signal normally ends this process first): checkpoint and go.
        await stop.CancelAsync();
        await Task.Delay(OrphanGrace);
        Environment.Exit(4);
    }
}
