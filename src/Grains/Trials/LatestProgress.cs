using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Keeps the newest progress report of a running trial; the heartbeat loop sends it on.</summary>
public sealed class LatestProgress : IProgress<TrialProgress>
{
    private volatile TrialProgressReport current = new("starting", 0, 0, double.NaN, 1, 0);

    public TrialProgressReport Current => current;

    public void Report(TrialProgress value)
    {
        // Preparation messages carry no step; keep the step counters of a resumed trial visible.
        var previous = current;
        current = value.Phase == "preparing"
            ? previous with { Phase = value.Phase }
            : new TrialProgressReport(value.Phase, value.Step, value.TotalSteps, value.Loss, value.KeepFraction, value.TokensPerSecond);
    }
}
