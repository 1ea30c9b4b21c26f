using Sweeps.Pruning.Checkpoints;
using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>
/// The one definition of every trial setting: key, default and range. The grid reader, `sweep train` (its options are
/// made from these), <see cref="TrialConfig"/>'s defaults and <see cref="TrialConfig.Validate"/> all read them. The
/// defaults are the paper's SMP settings where they apply; the bounds are far beyond any run in the paper and short of
/// where training stops being possible.
/// </summary>
public static class TrialSettings
{
    /// <summary>Past this many optimiser steps a trial's step counters overflow; no sweep needs a tenth of it.</summary>
    public const int MaxSteps = 100_000_000;

    /// <summary>
    /// Far past any useful rate (the paper's are 1e-2 and below), yet finite in float arithmetic: a run at it diverges
    /// and says so at the step it does, where 1e300 would overflow before the first step.
    /// </summary>
    public const double MaxLearningRate = 1e6;

    public const string DefaultModel = BuiltInModels.MiniLm;
    public const PruningMethod DefaultMethod = PruningMethod.SmpScoreAllocated;
    public const ClassifierMode DefaultClassifier = ClassifierMode.LinearHead;

    public static readonly TrialSetting Keep = new("keep", 0.5, 0, 1, MinExcluded: true, Help: "Fraction of each masked matrix's weights kept at the end (dense ignores it)");
    public static readonly TrialSetting Seed = new("seed", 42, 0, int.MaxValue, Integer: true, Help: "Seeds the head, the scores and the data order");

    public static readonly TrialSetting Epochs = new("epochs", 1, 0, 1000, MinExcluded: true, Help: "Passes over the training set; fractions allowed");
    public static readonly TrialSetting BatchSize = new("batch_size", 32, 1, 4096, Integer: true, Help: "Examples per optimiser step");
    public static readonly TrialSetting MaxLength = new("max_length", 128, 8, 4096, Integer: true, Help: "Tokens per example, at most the model's positions");
    public static readonly TrialSetting TrainLimit = new("train_limit", null, 1, 100_000_000, Integer: true, Help: "Use only the first N training examples");
    public static readonly TrialSetting DevLimit = new("dev_limit", null, 1, 100_000_000, Integer: true, Help: "Evaluate on only the first N examples of each dev split");
    public static readonly TrialSetting ScoreLearningRate = new("score_lr", 2e-2, 0, MaxLearningRate, MinExcluded: true, Help: "AdamW learning rate of the scores, decayed linearly to 0");
    public static readonly TrialSetting HeadLearningRate = new("head_lr", 1e-3, 0, MaxLearningRate, MinExcluded: true, Help: "AdamW learning rate of a linear head, decayed linearly to 0");
    public static readonly TrialSetting WeightLearningRate = new("weight_lr", 3e-5, 0, MaxLearningRate, MinExcluded: true, Help: "AdamW learning rate of the weights (dense, magnitude, movement), decayed linearly to 0");
    public static readonly TrialSetting FinalLambda = new("final_lambda", 400, 0, 1e6, Help: "λ_f, the final weight of the sigmoid-L1 regulariser");
    public static readonly TrialSetting Temperature = new("temperature", null, 0, 100, MinExcluded: true, Help: "SMP-S's τ (default: 1 below keep 0.7, 4 from 0.7 up, as the reference)");
    public static readonly TrialSetting PruneFraction = new("prune_fraction", 2.0 / 3.0, 0, 1, MinExcluded: true, Help: "The fraction of training over which the keep fraction falls to its target");
    public static readonly TrialSetting PruneSteps = new("prune_steps", null, 1, MaxSteps, Integer: true, Help: "The keep fraction reaches its target after N steps (instead of prune_fraction)");
    public static readonly TrialSetting PruneHoldSteps = new("prune_hold_steps", null, 0, MaxSteps, Integer: true, Help: "The keep fraction holds its target for the last N steps (instead of prune_fraction)");
    public static readonly TrialSetting LambdaSteps = new("lambda_steps", null, 1, MaxSteps, Integer: true, Help: "λ reaches its final value after N steps (default: at the end of training)");
    public static readonly TrialSetting MaxGradNorm = new("max_grad_norm", 1.0, 0, 1e6, Note: "0: no clipping", Help: "Clip gradients to this total norm (0: no clipping)");
    public static readonly TrialSetting WarmupFraction = new("warmup_fraction", null, 0, 1, Help: "The learning rates rise linearly from 0 over this fraction of training, then decay linearly to 0 (default: the method's reference, 0.1 for dense, magnitude and movement, 0 for SMP)");
    public static readonly TrialSetting WarmupSteps = new("warmup_steps", null, 0, MaxSteps, Integer: true, Help: "The learning-rate warm-up in steps (instead of warmup_fraction)");
    public static readonly TrialSetting InitialWarmup = new("initial_warmup", null, 0, 1000, Help: "Every weight is kept for the first initial_warmup × warm-up steps, before the keep fraction starts to fall (default: the method's reference, 1 for magnitude and movement, 0 for SMP)");
    public static readonly TrialSetting FinalWarmup = new("final_warmup", null, 0, 1000, Help: "The keep fraction holds its target for the last final_warmup × warm-up steps (default: the method's reference, 2 for magnitude and movement; SMP uses prune_fraction)");
    public static readonly TrialSetting Pooler = new("pooler", null, 0, 1, Integer: true, Help: "1: a linear head reads the pooler's output, as BertForSequenceClassification (default: 1 for dense, magnitude and movement, 0 for SMP)");
    public static readonly TrialSetting HeadInitStd = new("head_init_std", null, 0, 1, Note: "0: TorchSharp's default", Help: "A linear head's weights start from N(0, std²), its bias from 0 (default: 0.02 for dense, magnitude and movement, as transformers; 0, TorchSharp's default, for SMP)");
    public static readonly TrialSetting TransformersAdamW = new("transformers_adamw", null, 0, 1, Integer: true, Help: "1: AdamW as transformers.AdamW computes it (ε added to √v before the bias correction); 0: as torch.optim.AdamW (default: 1, as every method's reference)");
    public static readonly TrialSetting EvalEvery = new("eval_every", null, 1, MaxSteps, Integer: true, Help: "Evaluate on dev every N steps once the keep fraction reached its target (default: 1,000 steps or an epoch, whichever is shorter)");
    public static readonly TrialSetting EvalFrom = new("eval_from", null, 0, MaxSteps, Integer: true, Help: "Evaluate every eval_every steps from this step on instead, 0 for through the whole keep schedule (default: the step the keep fraction reaches its target)");

    public static readonly TrialSetting DistillationTemperature = new("distillation.temperature", 2, 0, 100, MinExcluded: true, Help: "The distillation temperature T", Flag: "--kd-temperature");
    public static readonly TrialSetting AlphaKd = new("distillation.alpha_kd", 0.5, 0, 100, Help: "Weight of the distillation loss");
    public static readonly TrialSetting AlphaCe = new("distillation.alpha_ce", 0.5, 0, 100, Help: "Weight of the task's own loss");

    /// <summary>The settings of a grid's <c>training</c> section, by key, in the order the grid documents them.</summary>
    public static IReadOnlyDictionary<string, TrialSetting> Training { get; } = new[]
    {
        Epochs, BatchSize, MaxLength, TrainLimit, DevLimit, ScoreLearningRate, HeadLearningRate, WeightLearningRate,
        FinalLambda, Temperature, PruneFraction, PruneSteps, PruneHoldSteps, LambdaSteps, MaxGradNorm, EvalEvery,
        WarmupFraction, WarmupSteps, InitialWarmup, FinalWarmup, Pooler, HeadInitStd, TransformersAdamW, EvalFrom,
    }.ToDictionary(r => r.Key);

    /// <summary>The distillation settings a grid's <c>distillation</c> mapping and `sweep train` take.</summary>
    public static IReadOnlyList<TrialSetting> Distillation { get; } = [DistillationTemperature, AlphaKd, AlphaCe];

    /// <summary>The ways of giving the keep schedule's length: setting one in an override replaces the others.</summary>
    public static IReadOnlyList<TrialSetting> PruneSchedule { get; } = [PruneFraction, PruneSteps, PruneHoldSteps, FinalWarmup];

    /// <summary>The two ways of giving the learning-rate warm-up's length.</summary>
    public static IReadOnlyList<TrialSetting> Warmup { get; } = [WarmupFraction, WarmupSteps];
}
