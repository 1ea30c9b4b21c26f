using System.Text.Json;
using Sweeps.Grains.Interfaces.Results;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Tests.Results;

/// <summary>The trade-off of accuracy against size: the cells no other cell of the task beats on both, and the area they dominate.</summary>
public sealed class ParetoFrontTests
{
    private static ResultCell Cell(string method, double achievedKeep, double accuracy, string task = "sst2") =>
        new(task, method, false, Math.Round(achievedKeep, 1), [], [new("accuracy", SeedStatistics.Of([accuracy]))], SeedStatistics.Of([achievedKeep]), 0,
            [$"{method}-{achievedKeep}-{accuracy}"]);

    [Fact]
    public void Of_KeepsOnlyTheCellsNoOtherBeatsOnBoth_SmallestFirst()
    {
        ResultCell[] cells =
        [
            Cell("smp-s", 0.5, 0.90), Cell("magnitude", 0.5, 0.85), // beaten by smp-s at the same size
            Cell("smp-s", 0.1, 0.80), Cell("movement", 0.3, 0.75),  // beaten by a smaller, better model
            Cell("dense", 1.0, 0.95),                               // the best score: on the front, whatever its size
        ];

        var group = Assert.Single(ParetoFront.Of(cells));

        Assert.Equal([(0.1, 0.80), (0.5, 0.90), (1.0, 0.95)], group.Front.Select(c => (c.AchievedKeep.Mean, c.Metric("accuracy")!.Mean)));
        Assert.Equal((5, "accuracy"), (group.Cells, group.Metric));
    }

    [Fact]
    public void Dominates_NeedsBetterOnOne_NotWorseOnEither()
    {
        Assert.True(ParetoFront.Dominates(Cell("a", 0.5, 0.9), Cell("b", 0.5, 0.8), "accuracy"));
        Assert.True(ParetoFront.Dominates(Cell("a", 0.4, 0.9), Cell("b", 0.5, 0.9), "accuracy"));
        Assert.False(ParetoFront.Dominates(Cell("a", 0.5, 0.9), Cell("b", 0.5, 0.9), "accuracy")); // equal: both stay
        Assert.False(ParetoFront.Dominates(Cell("a", 0.4, 0.8), Cell("b", 0.5, 0.9), "accuracy")); // a trade-off: both stay
    }

    [Fact]
    public void Hypervolume_IsTheAreaTheFrontDominatesUpToKeepOneAndMetricZero()
    {
        // Rectangles from keep 0.1 to 0.5 at 0.8, from 0.5 to 1 at 0.9; the dense point at keep 1 adds no width.
        Assert.Equal(0.4 * 0.8 + 0.5 * 0.9, ParetoFront.Hypervolume([(0.1, 0.8), (0.5, 0.9), (1.0, 0.95)]), 12);
        // A dominated point adds nothing; so does one outside the reference box.
        Assert.Equal(ParetoFront.Hypervolume([(0.1, 0.8), (0.5, 0.9)]), ParetoFront.Hypervolume([(0.1, 0.8), (0.5, 0.9), (0.3, 0.7), (1.2, 0.99)]), 12);
        Assert.Equal(0, ParetoFront.Hypervolume([]));
    }

    [Fact]
    public void Of_EachTaskItsOwnFront_AndJsonStatesTheReferencePoint()
    {
        var groups = ParetoFront.Of([Cell("smp-s", 0.1, 0.8, "sst2"), Cell("smp-s", 0.1, 0.6, "mnli"), Cell("smp-s", 0.5, 0.7, "mnli")]);

        Assert.Equal(["mnli", "sst2"], groups.Select(g => g.Task));
        var json = JsonDocument.Parse(ParetoFront.Render(groups, ResultsFormat.Json)).RootElement;
        Assert.Equal(2, json[0].GetProperty("front").GetArrayLength());
        Assert.Equal((1.0, 0.0), (json[0].GetProperty("reference").GetProperty("keep").GetDouble(), json[0].GetProperty("reference").GetProperty("metric").GetDouble()));
        Assert.Equal(0.4 * 0.6 + 0.5 * 0.7, json[0].GetProperty("hypervolume").GetDouble(), 12);
    }
}
