namespace Sweeps.Pruning.Smp;

/// <summary>
/// The cubic keep-fraction schedule: every weight kept up to step H (the initial hold), then
/// k(t) = k_f + (1 − k_f)(1 − (t − H)/(T_s − H))³ for H ≤ t ≤ T_s, then k_f to the end. H is 0 unless a trial holds the
/// model dense first, as the movement-pruning reference does for <c>initial_warmup</c> × warm-up steps.
/// </summary>
public sealed record KeepSchedule(double FinalKeep, int PruneSteps, int DenseSteps = 0)
{
    /// <summary>
    /// T_s from a trial's settings, in the ways the reference scripts give it: <paramref name="pruneSteps"/> (the target
    /// is reached after that many steps: <c>--warmup_threshold_step</c>), else <paramref name="holdSteps"/> (the target
    /// is held for the last that many steps: <c>--final_warmup</c> × 5,000 on GLUE in SMP's scripts, or
    /// <c>--final_warmup</c> × the warm-up in the movement-pruning example's), else a fraction of training (the default
    /// reaches the target at 2/3 and holds the last third). <paramref name="denseSteps"/> is the initial hold.
    /// </summary>
    /// <param name="holdSetting">The setting <paramref name="holdSteps"/> came from, for the error that names it.</param>
    /// <exception cref="ArgumentException">The target would be reached after training ends, or no later than the initial hold ends.</exception>
    public static KeepSchedule ForTraining(double finalKeep, int totalSteps, double pruneFraction = 2.0 / 3.0, int? pruneSteps = null, int? holdSteps = null,
        int denseSteps = 0, string holdSetting = "prune_hold_steps")
    {
        int end;
        if (pruneSteps is { } steps)
        {
            if (steps > totalSteps)
                throw new ArgumentException($"prune_steps = {steps}: the keep fraction would reach its target after training ends ({totalSteps} steps)");
            end = Math.Max(1, steps);
        }
        else if (holdSteps is { } hold)
        {
            if (hold >= totalSteps)
                throw new ArgumentException($"{holdSetting} = {hold}: holding the target that long leaves no steps to prune in ({totalSteps} steps in all)");
            end = totalSteps - hold;
        }
        else end = Math.Max(1, (int)Math.Round(totalSteps * pruneFraction));
        if (denseSteps > 0 && denseSteps >= end && finalKeep < 1)
            throw new ArgumentException($"initial_warmup: every weight is kept for the first {denseSteps} steps, but the keep fraction must reach its target at step {end}");
        return new(finalKeep, end, Math.Max(0, Math.Min(denseSteps, end - 1)));
    }

    public double KeepAt(int step)
    {
        if (step >= PruneSteps) return FinalKeep;
        if (step <= DenseSteps) return 1.0;
        var remaining = 1.0 - (double)(step - DenseSteps) / (PruneSteps - DenseSteps);
        return FinalKeep + (1.0 - FinalKeep) * remaining * remaining * remaining;
    }

    /// <summary>True once the keep fraction has reached its target: from step T_s on, or always where the target keeps everything.</summary>
    public bool ReachedAt(int step) => step >= PruneSteps || FinalKeep >= 1;
}
