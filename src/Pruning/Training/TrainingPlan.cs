using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>
/// How long a trial trains and on which schedules, from its settings and the size of its training set: steps per
/// epoch and in all, the keep fraction's fall to its target, λ's ramp, and how often the dev set is evaluated.
/// </summary>
public sealed record TrainingPlan(int StepsPerEpoch, int TotalSteps, double FinalKeep, KeepSchedule Keep, RegularizerSchedule Lambda, int EvalEvery)
{
    /// <exception cref="ArgumentException">No training examples, or more steps than a trial may train.</exception>
    public static TrainingPlan For(TrialConfig config, string taskName, int trainExamples)
    {
        if (trainExamples == 0) throw new ArgumentException($"task '{taskName}' has no training examples");
        var stepsPerEpoch = (int)Math.Ceiling((double)trainExamples / config.BatchSize);
        var plannedSteps = Math.Ceiling(config.Epochs * stepsPerEpoch);
        if (plannedSteps > TrialSettings.MaxSteps)
            throw new ArgumentException($"epochs {config.Epochs} × {stepsPerEpoch:N0} steps per epoch = {plannedSteps:N0} steps; a trial may train at most {TrialSettings.MaxSteps:N0}");
        var totalSteps = Math.Max(1, (int)plannedSteps);
        var finalKeep = config.Method.Masks() ? config.Keep : 1.0;
        return new TrainingPlan(stepsPerEpoch, totalSteps, finalKeep,
            KeepSchedule.ForTraining(finalKeep, totalSteps, config.PruneFraction, config.PruneSteps, config.PruneHoldSteps),
            new RegularizerSchedule(config.FinalLambda, config.LambdaSteps ?? totalSteps),
            config.EvalEvery ?? Math.Min(1000, stepsPerEpoch));
    }
}
