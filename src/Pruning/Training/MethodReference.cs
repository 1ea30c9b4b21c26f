using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The settings each method's reference implementation runs with, where a trial leaves them unset. SMP's is the authors'
/// code (kongds/SMP: run.sh, smp_trainer.py); magnitude and movement pruning's, and dense fine-tuning's, is Hugging
/// Face's movement-pruning example (masked_run_glue.py and its README's commands, whose numbers the paper quotes):
/// <list type="bullet">
/// <item>learning-rate warm-up: <c>--warmup_steps 5400</c> of about 55,000 steps (10 epochs of SQuAD at batch 16), a
/// tenth of training; SMP runs with <c>--warmup_ratio 0</c>;</item>
/// <item>keep schedule: <c>--initial_warmup 1 --final_warmup 2</c>, in units of the warm-up; SMP's
/// <c>--initial_warmup 0</c> and a final hold in steps (<see cref="TrialConfig.PruneHoldSteps"/>, or
/// <see cref="TrialConfig.PruneFraction"/>);</item>
/// <item>optimiser: <c>transformers.AdamW</c> for every method (both scripts import it).</item>
/// </list>
/// </summary>
public static class MethodReference
{
    public static double WarmupFraction(PruningMethod method) => method.UsesRegularizer() ? 0 : 0.1;

    /// <summary>The initial hold in warm-up units: 1 for the methods that prune as the movement-pruning example does.</summary>
    public static double InitialWarmup(PruningMethod method) => method is PruningMethod.Magnitude or PruningMethod.Movement ? 1 : 0;

    /// <summary>The final hold in warm-up units; null where the method's reference gives it otherwise (SMP) or nothing is pruned (dense).</summary>
    public static double? FinalWarmup(PruningMethod method) => method is PruningMethod.Magnitude or PruningMethod.Movement ? 2 : null;

    public static bool TransformersAdamW(PruningMethod method) => true;

    public static bool UsesTransformersAdamW(this TrialConfig config) =>
        config.TransformersAdamW is { } given ? given == 1 : TransformersAdamW(config.Method);
}
