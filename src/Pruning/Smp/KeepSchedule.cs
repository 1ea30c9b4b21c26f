namespace Sweeps.Pruning.Smp;

/// <summary>
/// The cubic keep-fraction schedule: k(t) = k_f + (1 − k_f)(1 − t/T_s)³ for t ≤ T_s, then k_f to the end.
/// </summary>
public sealed record KeepSchedule(double FinalKeep, int PruneSteps)
{
    /// <summary>
    /// T_s from a trial's settings, in the three ways the reference scripts give it: <paramref name="pruneSteps"/> (the
    /// target is reached after that many steps: <c>--warmup_threshold_step</c>), else <paramref name="holdSteps"/> (the
    /// target is held for the last that many steps: <c>--final_warmup</c> × 5,000 on GLUE), else a fraction of training
    /// (the default reaches the target at 2/3 and holds the last third).
    /// </summary>
    /// <exception cref="ArgumentException">The target would be reached after training ends, or at step 0.</exception>
    public static KeepSchedule ForTraining(double finalKeep, int totalSteps, double pruneFraction = 2.0 / 3.0, int? pruneSteps = null, int? holdSteps = null)
    {
        if (pruneSteps is { } steps)
        {
            if (steps > totalSteps)
                throw new ArgumentException($"prune_steps = {steps}: the keep fraction would reach its target after training ends ({totalSteps} steps)");
            return new(finalKeep, Math.Max(1, steps));
        }
        if (holdSteps is { } hold)
        {
            if (hold >= totalSteps)
                throw new ArgumentException($"prune_hold_steps = {hold}: holding the target that long leaves no steps to prune in ({totalSteps} steps in all)");
            return new(finalKeep, totalSteps - hold);
        }
        return new(finalKeep, Math.Max(1, (int)Math.Round(totalSteps * pruneFraction)));
    }

    public double KeepAt(int step)
    {
        if (step >= PruneSteps) return FinalKeep;
        var remaining = 1.0 - (double)step / PruneSteps;
        return FinalKeep + (1.0 - FinalKeep) * remaining * remaining * remaining;
    }

    /// <summary>True once the keep fraction has reached its target: from step T_s on, or always where the target keeps everything.</summary>
    public bool ReachedAt(int step) => step >= PruneSteps || FinalKeep >= 1;
}
