namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>The training settings of one trial (one value of every training axis of the grid).</summary>
/// <param name="PruneSteps">The keep fraction reaches its target after this many steps; overrides <paramref name="PruneFraction"/>.</param>
/// <param name="PruneHoldSteps">The keep fraction is held at its target for the last this many steps; overrides <paramref name="PruneFraction"/>.</param>
/// <param name="LambdaSteps">λ reaches λ_f after this many steps (null: at the end of training).</param>
/// <param name="MaxGradNorm">Gradients are clipped to this total norm (0: no clipping).</param>
/// <param name="EvalEvery">Dev evaluations every N steps once the target is reached (null: 1,000 steps or an epoch, whichever is shorter).</param>
[GenerateSerializer, Immutable, Alias("sweeps.TrainingSpec")]
public sealed record TrainingSpec(
    [property: Id(0)] double Epochs,
    [property: Id(1)] int BatchSize,
    [property: Id(2)] int MaxLength,
    [property: Id(3)] int? TrainLimit,
    [property: Id(4)] int? DevLimit,
    [property: Id(5)] double ScoreLearningRate,
    [property: Id(6)] double HeadLearningRate,
    [property: Id(7)] double WeightLearningRate,
    [property: Id(8)] double FinalLambda,
    [property: Id(9)] double? Temperature,
    [property: Id(10)] double PruneFraction,
    [property: Id(11)] int? PruneSteps = null,
    [property: Id(12)] int? PruneHoldSteps = null,
    [property: Id(13)] int? LambdaSteps = null,
    [property: Id(14)] double MaxGradNorm = 1.0,
    [property: Id(15)] int? EvalEvery = null);
