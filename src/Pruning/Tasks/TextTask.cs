namespace Sweeps.Pruning.Tasks;

/// <summary>A labelled text task: its train split, one or more dev splits, label names and metrics.</summary>
/// <param name="LabelNames">Class names in label-index order; empty for a regression task.</param>
/// <param name="Dev">Dev splits by name (MNLI has dev_matched and dev_mismatched; others have dev).</param>
/// <param name="LabelWords">The word a frozen masked-LM head reads for each label (one word for regression).</param>
public sealed record TextTask(
    string Name,
    IReadOnlyList<string> LabelNames,
    IReadOnlyList<TaskMetric> Metrics,
    IReadOnlyList<TextExample> Train,
    IReadOnlyDictionary<string, IReadOnlyList<TextExample>> Dev,
    IReadOnlyList<string> LabelWords) : ITrialTask
{
    public bool IsRegression => LabelNames.Count == 0;

    /// <summary>Number of model outputs: one per class, or one for regression.</summary>
    public int OutputCount => IsRegression ? 1 : LabelNames.Count;
}
