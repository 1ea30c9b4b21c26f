namespace Sweeps.Search;

/// <summary>The TPE sampler's settings; the defaults are Optuna's (3.1).</summary>
/// <param name="StartupTrials">Finished trials drawn at random before the model is used (Optuna: n_startup_trials).</param>
/// <param name="Candidates">Points drawn from the good trials' density, of which the best ratio is proposed (n_ei_candidates).</param>
/// <param name="PriorWeight">The prior kernel's weight against a point's (prior_weight).</param>
/// <param name="ConstantLiar">Running trials count as the worst, so trials proposed while others run spread out (constant_liar).</param>
public sealed record TpeOptions(int StartupTrials = 10, int Candidates = 24, double PriorWeight = 1.0, bool ConstantLiar = true)
{
    /// <exception cref="ArgumentException">A setting out of its range.</exception>
    public TpeOptions Validated()
    {
        if (StartupTrials < 1) throw new ArgumentException($"startup must be at least 1, got {StartupTrials}");
        if (Candidates < 1) throw new ArgumentException($"candidates must be at least 1, got {Candidates}");
        if (!(PriorWeight > 0)) throw new ArgumentException($"the prior weight must be positive, got {PriorWeight}");
        return this;
    }
}
