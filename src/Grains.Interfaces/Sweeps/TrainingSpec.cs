using System.Text.Json.Serialization;

namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>The training settings of one trial (one value of every training axis of the grid).</summary>
/// <param name="PruneSteps">The keep fraction reaches its target after this many steps; overrides <paramref name="PruneFraction"/>.</param>
/// <param name="PruneHoldSteps">The keep fraction is held at its target for the last this many steps; overrides <paramref name="PruneFraction"/>.</param>
/// <param name="LambdaSteps">λ reaches λ_f after this many steps (null: at the end of training).</param>
/// <param name="MaxGradNorm">Gradients are clipped to this total norm (0: no clipping).</param>
/// <param name="EvalEvery">Dev evaluations every N steps once the target is reached (null: 1,000 steps or an epoch, whichever is shorter).</param>
/// <param name="EvalFrom">Dev evaluations start at this step instead (0: from the start, through the keep schedule).</param>
/// <param name="WarmupFraction">The learning-rate warm-up as a fraction of training; this and the settings after it are null for the method's reference value.</param>
/// <remarks>
/// The settings after <paramref name="EvalEvery"/> are left out of a trial's id where null, so trials that do not set
/// them keep the ids they had (a stored result trained by an earlier engine is told apart by its revision, not its id).
/// </remarks>
[GenerateSerializer, Immutable, Alias("sweeps.TrainingSpec")]
public sealed record TrainingSpec(
    [property: Id(0)] double Epochs,
    [property: Id(1)] int BatchSize,
    [property: Id(2)] int MaxLength,
    [property: Id(3)] int? TrainLimit,
    [property: Id(4)] int? DevLimit,
    [property: Id(5), GridKey("score_lr")] double ScoreLearningRate,
    [property: Id(6), GridKey("head_lr")] double HeadLearningRate,
    [property: Id(7), GridKey("weight_lr")] double WeightLearningRate,
    [property: Id(8)] double FinalLambda,
    [property: Id(9)] double? Temperature,
    [property: Id(10)] double PruneFraction,
    [property: Id(11)] int? PruneSteps = null,
    [property: Id(12)] int? PruneHoldSteps = null,
    [property: Id(13)] int? LambdaSteps = null,
    [property: Id(14)] double MaxGradNorm = 1.0,
    [property: Id(15)] int? EvalEvery = null,
    [property: Id(16), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? WarmupFraction = null,
    [property: Id(17), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? WarmupSteps = null,
    [property: Id(18), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? InitialWarmup = null,
    [property: Id(19), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? FinalWarmup = null,
    [property: Id(20), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Pooler = null,
    [property: Id(21), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? HeadInitStd = null,
    [property: Id(22), GridKey("transformers_adamw"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TransformersAdamW = null,
    [property: Id(23), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? EvalFrom = null);
