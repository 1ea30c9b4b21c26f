namespace Sweeps.Grains.Interfaces.Sweeps;

/// <summary>The training settings of one trial (one value of every training axis of the grid).</summary>
public sealed record TrainingSpec(
    double Epochs,
    int BatchSize,
    int MaxLength,
    int? TrainLimit,
    int? DevLimit,
    double ScoreLearningRate,
    double HeadLearningRate,
    double WeightLearningRate,
    double FinalLambda,
    double? Temperature,
    double PruneFraction);
