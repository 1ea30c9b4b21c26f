namespace Sweeps.Pruning.Smp;

/// <summary>
/// The cubic keep-fraction schedule: k(t) = k_f + (1 − k_f)(1 − t/T_s)³ for t ≤ T_s, then k_f to the end.
/// </summary>
public sealed record KeepSchedule(double FinalKeep, int PruneSteps)
{
    /// <summary>T_s as a fraction of the total steps (the default reaches the target at 2/3 and holds the last third).</summary>
    public static KeepSchedule ForTraining(double finalKeep, int totalSteps, double pruneFraction = 2.0 / 3.0) =>
        new(finalKeep, Math.Max(1, (int)Math.Round(totalSteps * pruneFraction)));

    public double KeepAt(int step)
    {
        if (step >= PruneSteps) return FinalKeep;
        var remaining = 1.0 - (double)step / PruneSteps;
        return FinalKeep + (1.0 - FinalKeep) * remaining * remaining * remaining;
    }
}
