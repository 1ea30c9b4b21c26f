namespace Sweeps.Worker.Protocol;

/// <summary>What a line from a worker says. The last four end the attempt; the worker exits after sending one.</summary>
public enum WorkerReportKind
{
    /// <summary>The worker has applied its limits and starts the trial (<see cref="WorkerReport.Ready"/>).</summary>
    Ready,
    /// <summary>A progress report of the engine (<see cref="WorkerReport.Progress"/>).</summary>
    Progress,
    /// <summary>The engine's counters since the last such report (<see cref="WorkerReport.Counts"/>): its work, even between steps.</summary>
    Counts,
    /// <summary>The trial finished (<see cref="WorkerReport.Result"/>).</summary>
    Result,
    /// <summary>Asked to stop: the checkpoint is written.</summary>
    Interrupted,
    /// <summary>The trial's own error (<see cref="WorkerReport.Reason"/>), as an in-process trial would have thrown it.</summary>
    Failed,
    /// <summary>An allocation failed: the worker reached its memory cap, or the device's memory ran out.</summary>
    OutOfMemory,
}
