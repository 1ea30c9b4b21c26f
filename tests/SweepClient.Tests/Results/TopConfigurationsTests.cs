using Sweeps.Grains.Interfaces.Results;
using Sweeps.Reports;

namespace Sweeps.SweepClient.Tests.Results;

/// <summary>A search's answer: per task and keep fraction, its configurations ranked by the primary metric's mean over seeds.</summary>
public sealed class TopConfigurationsTests
{
    private static ResultCell Cell(double keep, double scoreLr, params double[] accuracy) =>
        new("sst2", "smp-s", false, keep, [new("score_lr", scoreLr.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [new("accuracy", SeedStatistics.Of(accuracy)), new("f1", SeedStatistics.Of(accuracy.Select(a => a / 2).ToList()))],
            SeedStatistics.Of([keep]), 0, [$"t{keep}-{scoreLr}"]);

    [Fact]
    public void Of_RanksEachKeepFractionApart_BestMeanFirst_AndKeepsTheCount()
    {
        ResultCell[] cells = [Cell(0.5, 0.01, 0.80), Cell(0.5, 0.02, 0.90), Cell(0.5, 0.05, 0.85), Cell(0.1, 0.01, 0.70), Cell(0.1, 0.05, 0.60)];

        var groups = TopConfigurations.Of(cells, 2);

        Assert.Equal([0.5, 0.1], groups.Select(g => g.Keep));
        Assert.Equal(["0.02", "0.05"], groups[0].Cells.Select(c => c.Varied[0].Value));
        Assert.Equal((3, "accuracy"), (groups[0].Configurations, groups[0].Metric));
        Assert.Equal(["0.01", "0.05"], groups[1].Cells.Select(c => c.Varied[0].Value));
        Assert.Equal(["score_lr"], groups[0].Settings);
    }

    [Fact]
    public void Of_EqualMeans_TheSteadierConfigurationFirst()
    {
        ResultCell[] cells = [Cell(0.5, 0.01, 0.80, 0.90), Cell(0.5, 0.02, 0.84, 0.86), Cell(0.5, 0.03, 0.85)];

        var ranked = TopConfigurations.Of(cells, 3)[0].Cells;

        // 0.85 ± 0.014 (n 2) before 0.85 ± 0.071 (n 2); a single seed has no spread to vouch for it and comes last.
        Assert.Equal(["0.02", "0.01", "0.03"], ranked.Select(c => c.Varied[0].Value));
    }

    [Fact]
    public void Render_Json_GivesRanksSettingsAndEveryMetric()
    {
        var json = TopConfigurations.Render(TopConfigurations.Of([Cell(0.5, 0.01, 0.80), Cell(0.5, 0.02, 0.90)], 5), ResultsFormat.Json);

        var group = System.Text.Json.JsonDocument.Parse(json).RootElement[0];
        var first = group.GetProperty("top")[0];
        Assert.Equal((2, 1, "0.02"), (group.GetProperty("configurations").GetInt32(), first.GetProperty("rank").GetInt32(),
            first.GetProperty("settings").GetProperty("score_lr").GetString()));
        Assert.Equal(0.45, first.GetProperty("metrics").GetProperty("f1").GetProperty("mean").GetDouble(), 12);
    }

    [Fact]
    public void SearchedSettings_ANumericSettingWithFourValuesOrMore_NotAGridAxisOfTwo()
    {
        ResultCell With(params (string Key, string Value)[] varied) => Cell(0.5, 0, 0.8) with { Varied = varied.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)).ToList() };
        ResultCell[] cells =
        [
            With(("score_lr", "0.01"), ("epochs", "3"), ("schedule", "cubic")),
            With(("score_lr", "0.02"), ("epochs", "6"), ("schedule", "linear")),
            With(("score_lr", "0.03"), ("epochs", "3"), ("schedule", "cubic")),
            With(("score_lr", "0.04"), ("epochs", "6"), ("schedule", "linear")),
        ];

        Assert.Equal(["score_lr"], SearchedSettings.Of(cells));
        Assert.Equal(0.03, SearchedSettings.Value(cells[2], "score_lr"));
        Assert.Null(SearchedSettings.Value(cells[2], "schedule"));
    }
}
