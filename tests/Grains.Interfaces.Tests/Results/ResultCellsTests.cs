using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;

namespace Sweeps.Grains.Interfaces.Tests.Results;

/// <summary>A results cell is every trial that differs only in its seed, summarised over the seeds; the best seed is never a cell.</summary>
public sealed class ResultCellsTests
{
    private static readonly TrainingSpec Training = new(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);

    private static (TrialSpec, TrialOutcome) Trial(string method, double keep, int seed, double best, double final = double.NaN,
        bool collapsed = false, bool finalCollapsed = false, TrainingSpec? training = null, bool distilled = false, double? achieved = null)
    {
        var spec = new TrialSpec("spam-assassin", null, "minilm-l6-h384", method, keep, "linear",
            distilled ? new DistillationSpec($"teacher{seed}", null, 2, 0.5, 0.5) : null, seed, training ?? Training, "default");
        var outcome = new TrialOutcome([new("accuracy", best), new("f1", best / 2)], achieved ?? keep, 192, 0, 100, 900, 1000)
        {
            FinalMetrics = [new("accuracy", double.IsNaN(final) ? best : final), new("f1", (double.IsNaN(final) ? best : final) / 2)],
            Collapsed = collapsed,
            FinalCollapsed = finalCollapsed,
        };
        return (spec, outcome);
    }

    [Fact]
    public void From_TwoPrecisions_TwoCellsNamedByTheirPrecision()
    {
        var fp32 = new[] { Trial("smp-s", 0.5, 1, 0.90), Trial("smp-s", 0.5, 2, 0.92) };
        var bf16 = new[] { Trial("smp-s", 0.5, 1, 0.80), Trial("smp-s", 0.5, 2, 0.84) }
            .Select(t => (t.Item1 with { Precision = "bf16" }, t.Item2)).ToArray();

        var cells = ResultCells.From([.. fp32, .. bf16], MetricSelection.Best);

        Assert.Equal(2, cells.Count);
        Assert.Equal((2, 0.91), (cells.Single(c => c.Settings == "precision fp32").N, cells.Single(c => c.Settings == "precision fp32").Metric("accuracy")!.Mean));
        Assert.Equal(0.82, cells.Single(c => c.Settings == "precision bf16").Metric("accuracy")!.Mean, 12);
        Assert.NotEqual(fp32[0].Item1.Id, bf16[0].Item1.Id);
    }

    [Fact]
    public void Of_ThreeSeeds_MeanSampleStdMinMax()
    {
        var stats = SeedStatistics.Of([0.90, 0.92, 0.94]);

        Assert.Equal(0.92, stats.Mean, 12);
        Assert.Equal(0.02, stats.Std!.Value, 12); // sample standard deviation: n − 1 in the denominator
        Assert.Equal((3, 0.90, 0.94), (stats.N, stats.Min, stats.Max));
    }

    [Fact]
    public void Of_OneSeed_HasNoStandardDeviation() => Assert.Null(SeedStatistics.Of([0.9]).Std);

    [Fact]
    public void From_ThreeSeedsWithTheirOwnTeachers_OneCellOverThree()
    {
        var cells = ResultCells.From([Trial("smp-s", 0.5, 1, 0.90, distilled: true), Trial("smp-s", 0.5, 2, 0.96, distilled: true), Trial("smp-s", 0.5, 3, 0.93, distilled: true)],
            MetricSelection.Best);

        var cell = Assert.Single(cells);
        Assert.Equal(("smp-s + KD", 3, ""), (cell.Row, cell.N, cell.Settings));
        Assert.Equal(0.93, cell.Metric("accuracy")!.Mean, 12);
        Assert.Equal(0.90, cell.Metric("accuracy")!.Min, 12);
        Assert.Equal(0.465, cell.Metric("f1")!.Mean, 12);
        Assert.Equal(["accuracy", "f1"], cell.Metrics.Select(m => m.Key));
    }

    [Fact]
    public void From_SelectFinal_SummarisesTheFinalEvaluationsAndTheirCollapse()
    {
        (TrialSpec, TrialOutcome)[] trials = [Trial("smp-l", 0.1, 1, 0.9, final: 0.7, finalCollapsed: true), Trial("smp-l", 0.1, 2, 0.8, final: 0.6)];

        var best = Assert.Single(ResultCells.From(trials, MetricSelection.Best));
        var final = Assert.Single(ResultCells.From(trials, MetricSelection.Final));

        Assert.Equal((0.85, 0), (Math.Round(best.Metric("accuracy")!.Mean, 12), best.Collapsed));
        Assert.Equal((0.65, 1), (Math.Round(final.Metric("accuracy")!.Mean, 12), final.Collapsed));
    }

    [Fact]
    public void From_SeedsStoppedEarly_AreCountedInTheirCell()
    {
        var (spec, outcome) = Trial("smp-s", 0.5, 1, 0.8);
        var cell = Assert.Single(ResultCells.From([(spec, outcome with { StoppedAtStep = 24 }), Trial("smp-s", 0.5, 2, 0.9)], MetricSelection.Best));

        Assert.Equal((2, 1), (cell.N, cell.Stopped));
    }

    [Fact]
    public void From_SampledSettings_AreNamedWithTheirValues()
    {
        var cells = ResultCells.From([Trial("smp-s", 0.5, 1, 0.9, training: Training with { ScoreLearningRate = 0.01234 }),
            Trial("smp-s", 0.5, 1, 0.8, training: Training with { ScoreLearningRate = 0.0005678 })], MetricSelection.Best);

        Assert.Equal(["score_lr 0.0005678", "score_lr 0.01234"], cells.Select(c => c.Settings).Order(StringComparer.Ordinal));
        Assert.All(cells, c => Assert.Equal("score_lr", Assert.Single(c.Varied).Key));
    }

    [Fact]
    public void From_AnAxisBesidesTheSeed_SplitsTheCellAndNamesTheSetting()
    {
        var longer = Training with { Epochs = 6 };

        var cells = ResultCells.From([Trial("smp-s", 0.5, 1, 0.9), Trial("smp-s", 0.5, 2, 0.9), Trial("smp-s", 0.5, 1, 0.95, training: longer)],
            MetricSelection.Best);

        Assert.Equal(["smp-s (epochs 3)", "smp-s (epochs 6)"], cells.Select(c => c.Row).Order());
        Assert.Equal([1, 2], cells.Select(c => c.N).Order());
    }

    [Fact]
    public void From_SettingsThatDifferOnlyBetweenKeepFractions_StayInOneRow()
    {
        // An override at one keep fraction (the reference's schedule for keep 3%) is no reason to split the method's row.
        var cells = ResultCells.From([Trial("smp-s", 0.5, 1, 0.9), Trial("smp-s", 0.03, 1, 0.7, training: Training with { Epochs = 20, PruneSteps = 22650 })],
            MetricSelection.Best);

        Assert.All(cells, c => Assert.Equal("smp-s", c.Row));
    }

    [Fact]
    public void From_ThreeSeeds_SummarisesTheAchievedKeepFractionLikeAMetric()
    {
        (TrialSpec, TrialOutcome)[] trials =
            [Trial("smp-s", 0.1, 1, 0.9, achieved: 0.098), Trial("smp-s", 0.1, 2, 0.9, achieved: 0.1), Trial("smp-s", 0.1, 3, 0.9, achieved: 0.102)];

        var cell = Assert.Single(ResultCells.From(trials, MetricSelection.Best));

        Assert.Equal(SeedStatistics.Of([0.098, 0.1, 0.102]), cell.AchievedKeep);
        Assert.Equal((3, 0.098, 0.102), (cell.AchievedKeep.N, cell.AchievedKeep.Min, cell.AchievedKeep.Max));
        Assert.Equal(0.1, cell.AchievedKeep.Mean, 12);
        Assert.Equal(cell.AchievedKeep, Assert.Single(ResultCells.From(trials, MetricSelection.Final)).AchievedKeep); // one mask per trial, whichever evaluation
    }

    [Fact]
    public void From_CollapsedSeeds_CountedInTheirCell()
    {
        var cells = ResultCells.From([Trial("smp-s", 0.1, 1, 0.695, collapsed: true), Trial("smp-s", 0.1, 2, 0.9), Trial("smp-s", 0.1, 3, 0.305, collapsed: true)],
            MetricSelection.Best);

        Assert.Equal(2, Assert.Single(cells).Collapsed);
    }
}
