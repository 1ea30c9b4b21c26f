namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>The training settings of one trial (one value of every training axis of the grid).</summary>
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
    [property: Id(10)] double PruneFraction);
