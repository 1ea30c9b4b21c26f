namespace Sweeps.Pruning.Tasks;

/// <summary>Computes GLUE's dev metrics from predictions (class indices, or values for regression) and labels.</summary>
public static class TaskMetrics
{
    /// <summary>A metric's name in results, grids and metrics labels: its lower-case name (<c>accuracy</c>, <c>matthews</c>).</summary>
    public static string NameOf(TaskMetric metric) => metric.ToString().ToLowerInvariant();

    /// <summary>A metric's key in a trial's results: its name, prefixed by its dev split's where a task has several (MNLI's <c>dev_matched.accuracy</c>).</summary>
    public static string KeyOf(string split, string metricName, int splits) => splits == 1 ? metricName : $"{split}.{metricName}";

    /// <summary>Every metric in <paramref name="metrics"/>, keyed by its <see cref="NameOf"/>.</summary>
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<TaskMetric> metrics, IReadOnlyList<float> predictions, IReadOnlyList<float> labels)
    {
        if (predictions.Count != labels.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {labels.Count} labels");
        return metrics.ToDictionary(NameOf, m => Compute(m, predictions, labels));
    }

    public static double Compute(TaskMetric metric, IReadOnlyList<float> predictions, IReadOnlyList<float> labels) => metric switch
    {
        TaskMetric.Accuracy => Accuracy(predictions, labels),
        TaskMetric.F1 => F1(predictions, labels),
        TaskMetric.Matthews => Matthews(predictions, labels),
        TaskMetric.Pearson => Pearson(predictions.Select(p => (double)p).ToArray(), labels.Select(l => (double)l).ToArray()),
        TaskMetric.Spearman => Pearson(Ranks(predictions), Ranks(labels)),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, null),
    };

    public static double Accuracy(IReadOnlyList<float> predictions, IReadOnlyList<float> labels) =>
        labels.Count == 0 ? 0 : predictions.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Count;

    public static double F1(IReadOnlyList<float> predictions, IReadOnlyList<float> labels)
    {
        var (tp, fp, fn, _) = Confusion(predictions, labels);
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    public static double Matthews(IReadOnlyList<float> predictions, IReadOnlyList<float> labels)
    {
        var (tp, fp, fn, tn) = Confusion(predictions, labels);
        var denominator = Math.Sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        return denominator == 0 ? 0 : (tp * tn - fp * fn) / denominator;
    }

    private static (double Tp, double Fp, double Fn, double Tn) Confusion(IReadOnlyList<float> predictions, IReadOnlyList<float> labels)
    {
        double tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (p, l) in predictions.Zip(labels))
        {
            if (p == 1 && l == 1) tp++;
            else if (p == 1) fp++;
            else if (l == 1) fn++;
            else tn++;
        }
        return (tp, fp, fn, tn);
    }

    private static double Pearson(double[] x, double[] y)
    {
        if (x.Length < 2) return 0;
        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }
        return varianceX == 0 || varianceY == 0 ? 0 : covariance / Math.Sqrt(varianceX * varianceY);
    }

    // Ranks with ties given their average rank, as Spearman's coefficient needs.
    private static double[] Ranks(IReadOnlyList<float> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var average = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = average;
            start = end + 1;
        }
        return ranks;
    }
}
