using Sweeps.Pruning.Training;
using Sweeps.Worker.Protocol;

namespace Sweeps.Worker;

/// <summary>The engine's progress, passed on to the silo as it comes (on the training thread); meets a planned fault at its step.</summary>
public sealed class ProgressRelay(ReportWriter reports, WorkerFaults? faults) : IProgress<TrialProgress>
{
    /// <summary>The last training step reported (0 before the first).</summary>
    public int Step { get; private set; }

    public void Report(TrialProgress value)
    {
        reports.Send(new WorkerReport(WorkerReportKind.Progress) { Progress = value });
        if (value.Phase == TrainingPhase.Training) Step = value.Step;
        if (value.Phase == TrainingPhase.Training) faults?.AtStep(value.Step);
    }
}
