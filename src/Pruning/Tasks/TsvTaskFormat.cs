namespace Sweeps.Pruning.Tasks;

/// <summary>
/// How one task's TSV folder is laid out: file names per split, which columns hold the texts and the label, and the
/// label values in label-index order (null for a regression task, whose label column is a number), and the label
/// words a frozen masked-LM head reads, one per label (one in all for regression).
/// </summary>
public sealed record TsvTaskFormat(
    string Name,
    string TrainFile,
    IReadOnlyDictionary<string, string> DevFiles,
    bool HasHeader,
    TsvColumn TextA,
    TsvColumn? TextB,
    TsvColumn Label,
    string[]? LabelValues,
    IReadOnlyList<string> LabelNames,
    IReadOnlyList<TaskMetric> Metrics,
    string[] LabelWords);
