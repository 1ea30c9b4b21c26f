using System.Collections.Concurrent;
using Sweeps.Artifacts;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Trials;
using Sweeps.Pruning.Training;

namespace Sweeps.Testing.Cluster;

/// <summary>
/// A stand-in trial for early-stopping tests: "trains" <paramref name="steps"/> steps, a dev evaluation every
/// <paramref name="every"/> of them after a pause, whose accuracy is the trial's quality (its score_lr, so a grid sets
/// it per trial), and honours early stopping as the engine does: it ends at its next step with its best evaluation
/// as its result. Never used by the product.
/// </summary>
public sealed class EvaluatingTrialRunner(int steps, int every, TimeSpan pause) : ITrialRunner
{
    /// <summary>Trial id → the step it was stopped at (trials that ran to the end are absent).</summary>
    public static ConcurrentDictionary<string, int> StoppedAt { get; } = new();

    public async Task<TrialResult> RunAsync(TrialRun run, IProgress<TrialProgress> progress, CancellationToken cancellation, CancellationToken stopEarly)
    {
        var spec = run.Spec;
        var quality = spec.Training.ScoreLearningRate;
        var evaluations = new List<DevEvaluation>();
        var started = DateTime.UtcNow;
        for (var step = every; step <= steps; step += every)
        {
            await Task.Delay(pause, cancellation);
            if (stopEarly.IsCancellationRequested && evaluations.Count > 0)
            {
                StoppedAt[spec.Id] = evaluations[^1].Step;
                return Result(spec, evaluations, started) with { StoppedAtStep = evaluations[^1].Step };
            }
            var evaluation = new DevEvaluation(step, new Dictionary<string, double> { ["accuracy"] = quality }, false);
            evaluations.Add(evaluation);
            progress.Report(new TrialProgress(TrainingPhase.Evaluating, step, steps, 0.5, spec.Keep, 0) { Evaluation = evaluation });
        }
        return Result(spec, evaluations, started);
    }

    private static TrialResult Result(TrialSpec spec, List<DevEvaluation> evaluations, DateTime started) =>
        new(spec.Task, spec.Method, spec.Classifier, spec.Keep, evaluations[^1].Metrics, spec.Keep, new Dictionary<string, double>(), 0,
            evaluations[^1].Step, 0, DateTime.UtcNow - started, 0, [], [])
        {
            Evaluations = evaluations, BestStep = evaluations[^1].Step,
        };
}
