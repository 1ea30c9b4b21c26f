namespace Sweeps.Pruning.Smp;

/// <summary>
/// The regulariser weight, rising cubically from 0 to λ_f over its ramp and held there: λ(t) = λ_f (1 − (1 − t/R)³)
/// for t ≤ R. The ramp R is the whole of training unless a trial sets it in steps (the reference's
/// <c>--warmup_regu_step</c>, SQuAD at keep 3%).
/// </summary>
public sealed record RegularizerSchedule(double FinalLambda, int RampSteps)
{
    public double LambdaAt(int step)
    {
        var remaining = 1.0 - Math.Min(1.0, (double)step / Math.Max(1, RampSteps));
        return FinalLambda * (1.0 - remaining * remaining * remaining);
    }
}
