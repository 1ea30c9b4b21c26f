using Sweeps.Pruning.Tasks;
using Sweeps.Pruning.Trials;

namespace Sweeps.Pruning.Tests.Tasks;

public sealed class TaskMetricsTests
{
    // 8 examples: tp = 3, fp = 1, fn = 2, tn = 2.
    private static readonly float[] Predictions = [1, 1, 1, 1, 0, 0, 0, 0];
    private static readonly float[] Labels = [1, 1, 1, 0, 1, 1, 0, 0];

    [Theory]
    [InlineData("spam-assassin", "accuracy,f1")]
    [InlineData("SST-2", "accuracy")]
    [InlineData("cola", "matthews")]
    [InlineData("stsb", "pearson,spearman")]
    [InlineData("mnli", "dev_matched.accuracy,dev_mismatched.accuracy")]
    [InlineData("squad", "exact_match,f1")]
    public void MetricNames_AreTheKeysATasksResultsCarry(string task, string names) =>
        Assert.Equal(names.Split(','), TaskCatalog.MetricNames(task));

    [Fact]
    public void MetricNames_OfATaskNoOneKnows_AreUnknown() => Assert.Null(TaskCatalog.MetricNames("imdb"));

    [Fact]
    public void Accuracy_HandCountedConfusion_FiveOfEight() =>
        Assert.Equal(5 / 8.0, TaskMetrics.Accuracy(Predictions, Labels), 12);

    [Fact]
    public void F1_HandCountedConfusion_TwoTpOverTwoTpPlusFpPlusFn() =>
        Assert.Equal(6 / 9.0, TaskMetrics.F1(Predictions, Labels), 12);

    [Fact]
    public void Matthews_HandCountedConfusion_MatchesFormula()
    {
        var expected = (3.0 * 2 - 1 * 2) / Math.Sqrt(4.0 * 5 * 3 * 4);
        Assert.Equal(expected, TaskMetrics.Matthews(Predictions, Labels), 12);
    }

    [Fact]
    public void Pearson_PerfectlyLinear_IsOne() =>
        Assert.Equal(1.0, TaskMetrics.Compute(TaskMetric.Pearson, [1f, 2f, 3f, 4f], [3f, 5f, 7f, 9f]), 12);

    [Fact]
    public void Spearman_MonotonicWithTies_UsesAverageRanks()
    {
        // Predictions rank [1, 2.5, 2.5, 4]; labels rank [1, 2, 3, 4]: Pearson of the ranks.
        var value = TaskMetrics.Compute(TaskMetric.Spearman, [0.1f, 0.5f, 0.5f, 0.9f], [1f, 2f, 3f, 4f]);
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), value, 12);
    }
}
