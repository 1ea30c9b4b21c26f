namespace Sweeps.Worker.Protocol;

/// <summary>What a silo asks of a running worker, one line each, after <see cref="WorkerStart"/>.</summary>
public enum WorkerCommand
{
    /// <summary>Write a checkpoint and exit (cancel, drain, a sweep that gave the trial up); SIGTERM means the same.</summary>
    Stop,
    /// <summary>Early stopping: end at the next step with the best evaluation so far as the result.</summary>
    StopEarly,
}
