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
/// <item>head: BertForSequenceClassification, which reads the pooler and initialises its classifier (and a pooler the
/// checkpoint lacks) from N(0, 0.02) with zero bias; SMP's paper mode is the masked-LM head, and our linear-head mode
/// for it keeps TorchSharp's initialisation on the [CLS] state;</item>
/// <item>optimiser: <c>transformers.AdamW</c> for every method (both scripts import it).</item>
/// </list>
/// </summary>
public static class MethodReference
{
    /// <summary>Hugging Face BERT's <c>initializer_range</c>: the std of a new linear layer's weights.</summary>
    public const double InitializerRange = 0.02;

    public static double WarmupFraction(PruningMethod method) => method.UsesRegularizer() ? 0 : 0.1;

    /// <summary>The initial hold in warm-up units: 1 for the methods that prune as the movement-pruning example does.</summary>
    public static double InitialWarmup(PruningMethod method) => method is PruningMethod.Magnitude or PruningMethod.Movement ? 1 : 0;

    /// <summary>The final hold in warm-up units; null where the method's reference gives it otherwise (SMP) or nothing is pruned (dense).</summary>
    public static double? FinalWarmup(PruningMethod method) => method is PruningMethod.Magnitude or PruningMethod.Movement ? 2 : null;

    public static bool Pooler(PruningMethod method) => method.TrainsWeights();

    public static double HeadInitStd(PruningMethod method) => method.TrainsWeights() ? InitializerRange : 0;

    public static bool TransformersAdamW(PruningMethod method) => true;

    /// <summary>Whether a linear classification head of this trial reads the pooler.</summary>
    public static bool UsesPooler(this TrialConfig config) => config.Pooler is { } given ? given == 1 : Pooler(config.Method);

    /// <summary>The std of a linear head's initial weights; 0: TorchSharp's default initialisation.</summary>
    public static double HeadInitialStd(this TrialConfig config) => config.HeadInitStd ?? HeadInitStd(config.Method);

    public static bool UsesTransformersAdamW(this TrialConfig config) =>
        config.TransformersAdamW is { } given ? given == 1 : TransformersAdamW(config.Method);
}
