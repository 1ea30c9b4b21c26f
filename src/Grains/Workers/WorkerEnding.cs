using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning.Training;
using Sweeps.Worker.Protocol;

namespace Sweeps.Grains.Workers;

/// <summary>
/// How a worker's attempt ended, from what it said and how its process exited: a result; interrupted (it checkpointed,
/// or was stopped); or a fault — failed (the trial's own error), out of memory, hung (killed for silence) or crashed (it
/// died without a word: a signal or an exit code, with the last lines of its error output).
/// </summary>
public sealed class WorkerEnding(string trialId, long? memoryCap)
{
    private WorkerReport? final;
    private volatile bool hung;
    private int step;

    public void Saw(TrialProgress progress)
    {
        if (progress.Phase is TrainingPhase.Training or TrainingPhase.Evaluating) step = progress.Step;
    }

    public void Ended(WorkerReport report) => final ??= report;

    public void Hung() => hung = true;

    /// <summary>The result, or the exception that says how the attempt ended otherwise.</summary>
    /// <param name="stopping">The attempt was asked to stop: an end without a word is an interruption, not a crash.</param>
    public TrialResult Outcome(int exitCode, IReadOnlyList<string> errorTail, bool stopping, TimeSpan hangTimeout)
    {
        switch (final?.Kind)
        {
            case WorkerReportKind.Result when final.Result is { } result:
                return result;
            case WorkerReportKind.Interrupted:
                throw new OperationCanceledException($"trial {trialId} checkpointed and stopped");
            case WorkerReportKind.Failed:
                throw new AttemptFailedException(AttemptFault.Failed, final.Reason ?? "the worker reported a failure without a reason");
            case WorkerReportKind.OutOfMemory:
                throw new AttemptFailedException(AttemptFault.OutOfMemory, final.Reason ?? "the worker ran out of memory");
        }
        if (hung)
            throw new AttemptFailedException(AttemptFault.Hung,
                $"no progress for {hangTimeout.TotalSeconds:0} s{Where()} (Sweeps:Worker:HangTimeout); the worker was killed{Tail(errorTail)}");
        if (stopping) throw new OperationCanceledException($"trial {trialId} stopped");
        throw new AttemptFailedException(AttemptFault.Crashed, $"the worker {Exit(exitCode)}{Where()}{Tail(errorTail)}");
    }

    private string Where() => step > 0 ? $" at step {step}" : "";

    private string Exit(int exitCode)
    {
        if (exitCode <= 128) return $"exited with code {exitCode} without a result";
        var signal = exitCode - 128;
        var name = SignalNames.GetValueOrDefault(signal, $"signal {signal}");
        var why = signal == 9
            ? memoryCap is null ? " (by another process, or by the kernel when memory ran out)" : $" (by another process, or by the kernel when memory ran out; its cap was {MemorySize.Format(memoryCap.Value)})"
            : "";
        return $"was killed by {name}{why}";
    }

    private static string Tail(IReadOnlyList<string> lines)
    {
        var shown = lines.Where(l => l.Trim().Length > 0).TakeLast(6).Select(l => l.Length > 300 ? l[..300] + "…" : l).ToList();
        return shown.Count == 0 ? "" : "; its last error output: " + string.Join(" | ", shown);
    }

    private static readonly Dictionary<int, string> SignalNames = new()
    {
        [1] = "SIGHUP", [2] = "SIGINT", [4] = "SIGILL", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL",
        [11] = "SIGSEGV", [13] = "SIGPIPE", [15] = "SIGTERM",
    };
}
