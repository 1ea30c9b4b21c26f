namespace Sweeps.Pruning.Training;

/// <summary>
/// Every parameter group's learning rate as a factor of its own: rising linearly from 0 over the warm-up, then falling
/// linearly to 0 at the end of training — transformers' <c>get_linear_schedule_with_warmup</c>, whose factor at step s
/// (counted from 0) is s / W during the warm-up and (T − s) / (T − W) after. Without a warm-up it is (T − s) / T.
/// </summary>
public sealed record LearningRateSchedule(int WarmupSteps, int TotalSteps)
{
    public double FactorAt(int step)
    {
        if (step < WarmupSteps) return (double)step / WarmupSteps;
        if (WarmupSteps == 0) return Math.Max(0, 1.0 - (double)step / TotalSteps);
        return Math.Max(0, (double)(TotalSteps - step) / Math.Max(1, TotalSteps - WarmupSteps));
    }
}
