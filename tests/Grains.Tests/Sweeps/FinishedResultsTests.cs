using Sweeps.Grains.Interfaces.Results;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Sweeps;

namespace Sweeps.Grains.Tests.Sweeps;

/// <summary>
/// The result cells a sweep keeps as results arrive are the cells <see cref="ResultCells.From"/> makes from every result
/// at once, whatever the order the results arrive in and however the reads fall between them.
/// </summary>
public sealed class FinishedResultsTests
{
    private static readonly TrainingSpec Training = new(3, 8, 48, 512, 400, 2e-2, 3e-3, 3e-5, 400, null, 2.0 / 3.0);

    /// <summary>
    /// Two methods, two keeps, distillation with a teacher per seed, a second precision, and a score learning rate that
    /// only some late trials vary (so a setting starts to differ after its group's cells were named), three seeds each.
    /// </summary>
    private static List<TrialSpec> Grid()
    {
        var trials = new List<TrialSpec>();
        foreach (var method in new[] { "smp-s", "magnitude" })
            foreach (var keep in new[] { 0.5, 0.1 })
                foreach (var distilled in new[] { false, true })
                    foreach (var (precision, scoreLr) in new (string?, double)[] { (null, 2e-2), ("bf16", 2e-2), (null, 0.5e-2), (null, 1e-1) })
                        for (var seed = 1; seed <= 3; seed++)
                            trials.Add(new TrialSpec("spam-assassin", null, "minilm-l6-h384", method, keep, "linear",
                                distilled ? new DistillationSpec($"teacher-{seed}", null, 2, 0.5, 0.5) : null, seed,
                                Training with { ScoreLearningRate = scoreLr }, "default", Precision: precision));
        return trials;
    }

    private static TrialOutcome Outcome(Random random, TrialSpec spec)
    {
        var best = Math.Round(random.NextDouble(), 3);
        var final = Math.Round(best - random.NextDouble() / 10, 3);
        return new TrialOutcome([new("accuracy", best), new("f1", best / 2)], spec.Keep + random.Next(-2, 3) / 1000.0, 192, 0, 100, 900, 1000)
        {
            FinalMetrics = random.Next(5) == 0 ? null : [new("accuracy", final), new("f1", final / 2)],
            Collapsed = random.Next(4) == 0,
            FinalCollapsed = random.Next(4) == 0,
            StoppedAtStep = random.Next(3) == 0 ? 96 : null,
        };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cells_ReadBetweenResultsInAnyOrder_AreTheCellsOfEveryResultAtOnce(int seed)
    {
        var random = new Random(seed);
        var trials = Grid();
        var results = new FinishedResults(trials);
        var added = new List<(TrialSpec Spec, TrialOutcome Outcome)>();
        // Results arrive in a shuffled order: trials that vary the score learning rate come late for some seeds, early for others.
        foreach (var index in Enumerable.Range(0, trials.Count).OrderBy(_ => random.Next()))
        {
            var outcome = Outcome(random, trials[index]);
            results.Add(index, outcome);
            added.Add((trials[index], outcome));
            if (random.Next(4) != 0) continue;
            var select = random.Next(2) == 0 ? MetricSelection.Best : MetricSelection.Final;
            Assert.Equal(Render(ResultCells.From(added, select)), Render(results.Cells(select)));
        }

        foreach (var select in new[] { MetricSelection.Best, MetricSelection.Final })
            Assert.Equal(Render(ResultCells.From(added, select)), Render(results.Cells(select)));
        Assert.Equal(trials.Count / 3, results.Cells(MetricSelection.Best).Count);
        // The setting that only late trials vary names every cell of every group (in the order the group first saw them).
        Assert.All(results.Cells(MetricSelection.Best), c => Assert.Equal(["precision", "score_lr"], c.Varied.Select(v => v.Key).Order()));
    }

    [Fact]
    public void Cells_WithNoResultSinceTheLastRead_AreTheSameList()
    {
        var trials = Grid();
        var results = new FinishedResults(trials);
        results.Add(0, Outcome(new Random(1), trials[0]));

        var first = results.Cells(MetricSelection.Best);

        Assert.Same(first, results.Cells(MetricSelection.Best));
        results.Add(1, Outcome(new Random(2), trials[1]));
        Assert.Equal(2, Assert.Single(results.Cells(MetricSelection.Best)).N);
        Assert.Equal(1, Assert.Single(first).N); // a list once returned is never changed under its reader
    }

    // Everything a cell shows, one line per cell in order, so two lists compare as text and a difference reads as one.
    private static List<string> Render(IReadOnlyList<ResultCell> cells) =>
        cells.Select(c => string.Join(" | ", c.Task, c.Row, c.Keep, c.Collapsed, c.Stopped, string.Join(",", c.TrialIds), c.AchievedKeep,
            string.Join("; ", c.Metrics.Select(m => $"{m.Key} {m.Value}")))).ToList();
}
