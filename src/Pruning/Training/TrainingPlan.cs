using Sweeps.Pruning.Smp;

namespace Sweeps.Pruning.Training;

/// <summary>
/// How long a trial trains and on which schedules, from its settings and the size of its training set: steps per
/// epoch and in all, the learning rates' warm-up and decay, the keep fraction's fall to its target (after an initial
/// hold where the method's reference has one), λ's ramp, and how often the dev set is evaluated.
/// </summary>
public sealed record TrainingPlan(int StepsPerEpoch, int TotalSteps, double FinalKeep, KeepSchedule Keep, RegularizerSchedule Lambda, int EvalEvery)
{
    /// <summary>The learning rates' factor at each step (no warm-up unless set).</summary>
    public LearningRateSchedule LearningRate { get; init; } = new(0, TotalSteps);

    /// <summary>The first step that may be evaluated; null: the step the keep fraction reaches its target.</summary>
    public int? EvalFrom { get; init; }

    /// <summary>
    /// Whether dev is evaluated after <paramref name="done"/> steps in the middle of training (the last step always is):
    /// at multiples of <see cref="EvalEvery"/> from <see cref="EvalFrom"/>, or from the keep schedule's end.
    /// </summary>
    public bool EvaluatesAfter(int done) =>
        done < TotalSteps && done % EvalEvery == 0 && (EvalFrom is { } from ? done >= from : Keep.ReachedAt(done));

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
        var warmup = config.WarmupSteps
            ?? (int)Math.Round(totalSteps * (config.WarmupFraction ?? MethodReference.WarmupFraction(config.Method)));
        if (warmup > totalSteps)
            throw new ArgumentException($"warmup_steps = {warmup}: the warm-up would outlast training ({totalSteps} steps)");
        var masks = config.Method.Masks();
        var denseSteps = masks ? (int)Math.Round(warmup * (config.InitialWarmup ?? MethodReference.InitialWarmup(config.Method))) : 0;
        // The final hold in the movement-pruning reference's terms (final_warmup × the warm-up), unless the trial gives
        // the schedule's end in steps.
        var finalWarmup = masks && config.PruneSteps is null && config.PruneHoldSteps is null
            ? config.FinalWarmup ?? MethodReference.FinalWarmup(config.Method)
            : null;
        var holdSteps = finalWarmup is { } units ? (int)Math.Round(warmup * units) : config.PruneHoldSteps;
        var keep = KeepSchedule.ForTraining(finalKeep, totalSteps, config.PruneFraction, config.PruneSteps, holdSteps, denseSteps,
            finalWarmup is null ? "prune_hold_steps" : $"final_warmup {finalWarmup} × {warmup} warm-up steps");
        return new TrainingPlan(stepsPerEpoch, totalSteps, finalKeep, keep,
            new RegularizerSchedule(config.FinalLambda, config.LambdaSteps ?? totalSteps),
            config.EvalEvery ?? Math.Min(1000, stepsPerEpoch))
        {
            LearningRate = new LearningRateSchedule(warmup, totalSteps),
            EvalFrom = config.EvalFrom,
        };
    }
}
