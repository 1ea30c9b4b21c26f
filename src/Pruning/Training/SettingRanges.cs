namespace Sweeps.Pruning.Training;

/// <summary>
/// The one definition of every numeric trial setting's range, by its grid key: the grid reader, `sweep train` and
/// <see cref="TrialConfig.Validate"/> all check against these. The bounds are far beyond any run in the paper and
/// short of where training stops being possible.
/// </summary>
public static class SettingRanges
{
    /// <summary>Past this many optimiser steps a trial's step counters overflow; no sweep needs a tenth of it.</summary>
    public const int MaxSteps = 100_000_000;

    /// <summary>
    /// Far past any useful rate (the paper's are 1e-2 and below), yet finite in float arithmetic: a run at it diverges
    /// and says so at the step it does, where 1e300 would overflow before the first step.
    /// </summary>
    public const double MaxLearningRate = 1e6;

    public static readonly SettingRange Keep = new("keep", 0, 1, MinExcluded: true);
    public static readonly SettingRange Epochs = new("epochs", 0, 1000, MinExcluded: true);
    public static readonly SettingRange BatchSize = new("batch_size", 1, 4096, Integer: true);
    public static readonly SettingRange MaxLength = new("max_length", 8, 4096, Integer: true);
    public static readonly SettingRange TrainLimit = new("train_limit", 1, 100_000_000, Integer: true);
    public static readonly SettingRange DevLimit = new("dev_limit", 1, 100_000_000, Integer: true);
    public static readonly SettingRange ScoreLearningRate = new("score_lr", 0, MaxLearningRate, MinExcluded: true);
    public static readonly SettingRange HeadLearningRate = new("head_lr", 0, MaxLearningRate, MinExcluded: true);
    public static readonly SettingRange WeightLearningRate = new("weight_lr", 0, MaxLearningRate, MinExcluded: true);
    public static readonly SettingRange FinalLambda = new("final_lambda", 0, 1e6);
    public static readonly SettingRange Temperature = new("temperature", 0, 100, MinExcluded: true);
    public static readonly SettingRange PruneFraction = new("prune_fraction", 0, 1, MinExcluded: true);
    public static readonly SettingRange PruneSteps = new("prune_steps", 1, MaxSteps, Integer: true);
    public static readonly SettingRange PruneHoldSteps = new("prune_hold_steps", 0, MaxSteps, Integer: true);
    public static readonly SettingRange LambdaSteps = new("lambda_steps", 1, MaxSteps, Integer: true);
    public static readonly SettingRange MaxGradNorm = new("max_grad_norm", 0, 1e6, Note: "0: no clipping");
    public static readonly SettingRange EvalEvery = new("eval_every", 1, MaxSteps, Integer: true);
    public static readonly SettingRange DistillationTemperature = new("distillation.temperature", 0, 100, MinExcluded: true);
    public static readonly SettingRange AlphaKd = new("distillation.alpha_kd", 0, 100);
    public static readonly SettingRange AlphaCe = new("distillation.alpha_ce", 0, 100);

    /// <summary>The settings of a grid's <c>training</c> section, by key.</summary>
    public static IReadOnlyDictionary<string, SettingRange> Training { get; } = new[]
    {
        Epochs, BatchSize, MaxLength, TrainLimit, DevLimit, ScoreLearningRate, HeadLearningRate, WeightLearningRate,
        FinalLambda, Temperature, PruneFraction, PruneSteps, PruneHoldSteps, LambdaSteps, MaxGradNorm, EvalEvery,
    }.ToDictionary(r => r.Key);
}
