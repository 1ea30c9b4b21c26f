using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Pruning.Models;
using Sweeps.Pruning.Smp;
using Sweeps.Pruning.Training;

namespace Sweeps.Grains.Trials;

/// <summary>Turns a sweep's <see cref="TrialSpec"/> into the engine's <see cref="TrialConfig"/>.</summary>
public static class TrialConfigFactory
{
    /// <param name="store">Where teacher trials' artefacts are found.</param>
    /// <param name="device">The device leased to the trial (cpu, cuda:N).</param>
    public static TrialConfig Create(TrialSpec spec, TrialArtifactStore store, string device)
    {
        var training = spec.Training;
        return new TrialConfig
        {
            Task = spec.Task,
            Data = spec.Data,
            Model = spec.Model,
            Method = PruningMethodFacts.Parse(spec.Method),
            Keep = spec.Keep,
            Classifier = ClassifierModeNames.Parse(spec.Classifier),
            Precision = PrecisionNames.Parse(spec.PrecisionName),
            Distillation = spec.Distillation is { } kd
                ? new DistillationSettings(kd.TeacherFolder ?? store.FolderOf(kd.TeacherTrialId!))
                {
                    Temperature = kd.Temperature, AlphaKd = kd.AlphaKd, AlphaCe = kd.AlphaCe, TeacherLabels = kd.TeacherLabels,
                }
                : null,
            Seed = spec.Seed,
            Epochs = training.Epochs,
            BatchSize = training.BatchSize,
            MaxLength = training.MaxLength,
            TrainLimit = training.TrainLimit,
            DevLimit = training.DevLimit,
            ScoreLearningRate = training.ScoreLearningRate,
            HeadLearningRate = training.HeadLearningRate,
            WeightLearningRate = training.WeightLearningRate,
            FinalLambda = training.FinalLambda,
            Temperature = training.Temperature,
            PruneFraction = training.PruneFraction,
            PruneSteps = training.PruneSteps,
            PruneHoldSteps = training.PruneHoldSteps,
            LambdaSteps = training.LambdaSteps,
            MaxGradNorm = training.MaxGradNorm,
            EvalEvery = training.EvalEvery,
            EvalFrom = training.EvalFrom,
            WarmupFraction = training.WarmupFraction,
            WarmupSteps = training.WarmupSteps,
            InitialWarmup = training.InitialWarmup,
            FinalWarmup = training.FinalWarmup,
            Pooler = training.Pooler,
            HeadInitStd = training.HeadInitStd,
            TransformersAdamW = training.TransformersAdamW,
            Device = device,
            CheckpointEverySteps = 50,
        };
    }
}
