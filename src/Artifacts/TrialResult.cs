namespace Sweeps.Artifacts;

/// <summary>What a finished trial produced.</summary>
/// <param name="DevMetrics">
/// The best evaluation's metrics (the one the artefact holds); names are split-qualified (dev_matched.accuracy) where
/// a task has several dev splits.
/// </param>
/// <param name="FinalMetrics">The metrics after the last step.</param>
/// <param name="BestStep">The step of the best evaluation.</param>
/// <param name="Collapsed">The best evaluation predicted one class for every dev example.</param>
/// <param name="FinalCollapsed">The last step's evaluation predicted one class for every dev example.</param>
/// <param name="Evaluations">Every dev evaluation, in step order (those made once the keep fraction reached its target, and the last).</param>
/// <param name="EvaluationSeconds">Time spent evaluating on dev, over every attempt; not part of <see cref="TrainingSeconds"/>.</param>
/// <param name="TrainingSeconds">Time spent in training steps, over every attempt.</param>
/// <param name="KeepFractionPerMatrix">Achieved keep fraction of every masked matrix, by module name.</param>
/// <param name="MaskBytes">Size of the bit-packed masks (1 bit per masked weight); 0 for dense fine-tuning.</param>
/// <param name="ResumedFromStep">The step a checkpoint resumed from (0 for a fresh start).</param>
public sealed record TrialResult(
    string Task,
    string Method,
    string Classifier,
    double TargetKeepFraction,
    IReadOnlyDictionary<string, double> DevMetrics,
    double AchievedKeepFraction,
    IReadOnlyDictionary<string, double> KeepFractionPerMatrix,
    long MaskBytes,
    int Steps,
    int ResumedFromStep,
    TimeSpan WallTime,
    double TokensPerSecond,
    IReadOnlyList<LossPoint> LossCurve,
    IReadOnlyList<string> Notes)
{
    public IReadOnlyDictionary<string, double> FinalMetrics { get; init; } = DevMetrics;
    public int BestStep { get; init; } = Steps;
    public bool Collapsed { get; init; }
    public bool FinalCollapsed { get; init; }
    public IReadOnlyList<DevEvaluation> Evaluations { get; init; } = [];
    public double EvaluationSeconds { get; init; }
    public double TrainingSeconds { get; init; }

    /// <summary>Early stopping ended the trial after this many steps (its result is its best evaluation so far); null: it ran to the end.</summary>
    public int? StoppedAtStep { get; init; }

    /// <summary>Where the best or the final evaluation collapsed: the step of the first evaluation that did; else null.</summary>
    public int? CollapsedAtStep { get; init; }

    /// <summary>The mask churn of the evaluation at <see cref="CollapsedAtStep"/>; null where it did not collapse or has no masks.</summary>
    public double? ChurnAtCollapse { get; init; }

    /// <summary>
    /// The revision of what training computes for a trial's settings when this result was made (0: before revisions
    /// were recorded). A stored result of another revision is shown, but not reused in place of training.
    /// </summary>
    public int EngineRevision { get; init; }

    /// <summary>
    /// Raised whenever the engine computes something else for the same settings — a default changed — so results of
    /// the earlier engine are trained again rather than reused. 1: the methods' reference schedules, heads and optimiser.
    /// </summary>
    public const int CurrentEngineRevision = 1;
}
