using Sweeps.Artifacts;
using Sweeps.Pruning.Training;

namespace Sweeps.Worker.Protocol;

/// <summary>One line a worker writes to its standard output; <see cref="Kind"/> says which field it carries.</summary>
public sealed record WorkerReport(WorkerReportKind Kind)
{
    public WorkerReady? Ready { get; init; }
    public TrialProgress? Progress { get; init; }
    public TrialResult? Result { get; init; }

    /// <summary>Counts of the engine's meter by instrument name (sweeps.training.steps, sweeps.checkpoint.writes, …).</summary>
    public IReadOnlyDictionary<string, long>? Counts { get; init; }

    /// <summary>Why it failed or ran out of memory: the error's type and message.</summary>
    public string? Reason { get; init; }

    /// <summary>True for the reports after which the worker exits.</summary>
    public bool EndsAttempt => Kind is WorkerReportKind.Result or WorkerReportKind.Interrupted or WorkerReportKind.Failed or WorkerReportKind.OutOfMemory;
}
