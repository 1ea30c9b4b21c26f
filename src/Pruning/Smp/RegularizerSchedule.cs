namespace Sweeps.Pruning.Smp;

/// <summary>The regulariser weight, rising cubically from 0 to λ_f over training: λ(t) = λ_f (1 − (1 − t/T)³).</summary>
public sealed record RegularizerSchedule(double FinalLambda, int TotalSteps)
{
    public double LambdaAt(int step)
    {
        var remaining = 1.0 - Math.Min(1.0, (double)step / Math.Max(1, TotalSteps));
        return FinalLambda * (1.0 - remaining * remaining * remaining);
    }
}
