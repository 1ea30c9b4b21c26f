namespace Sweeps.Pruning.Tasks;

/// <summary>The dev-set metrics GLUE-style tasks report.</summary>
public enum TaskMetric
{
    Accuracy,
    /// <summary>Binary F1 with class 1 as the positive class.</summary>
    F1,
    /// <summary>Matthews correlation coefficient (CoLA).</summary>
    Matthews,
    Pearson,
    Spearman,
}
