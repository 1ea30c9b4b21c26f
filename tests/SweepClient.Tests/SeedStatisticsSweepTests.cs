using System.Text.Json;
using System.Text.RegularExpressions;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// A three-seed sweep through the embedded cluster and the real `sweep` executable: each cell of the results is the
/// mean ± std over its seeds with n, and trials that learned a constant are reported as collapsed everywhere the user
/// looks (status, the table, the summary).
/// </summary>
public sealed class SeedStatisticsSweepTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ThreeSeeds_CellsAreMeanStdAndN_TrialsTrainedOnOneClassAreCollapsed()
    {
        // The SMP trials learn from a training split whose labels are all 0: whatever the seed, they answer one class.
        var rows = string.Concat(Enumerable.Repeat("win free money now\t0\ngreat meeting today\t0\nclick here offer\t0\nlunch please\t0\n", 6));
        work.Write("sst2/train.tsv", "sentence\tlabel\n" + rows);
        work.Write("sst2/dev.tsv", "sentence\tlabel\n" + string.Concat(Enumerable.Repeat("win free money now\t0\ngreat meeting today\t1\n", 6)));
        var grid = work.Write("grid.yaml", $"""
            name: seeds
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5]
            seeds: [1, 2, 3]
            training:
              epochs: 4
              batch_size: 8
              max_length: 16
              head_lr: 1e-2
            """);
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];

        var (submitted, table) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", "--format", "markdown", .. cluster]);
        Assert.True(submitted == 0, table);
        var sweepId = Regex.Match(table, @"sweep (seeds-[0-9a-f]{8})").Groups[1].Value;
        var (_, status) = await SweepCli.RunAsync(["status", sweepId, .. cluster]);
        var (_, summary) = await SweepCli.RunAsync(["results", sweepId, "--format", "json", .. cluster]);

        Assert.Contains("**sst2** — dev accuracy, mean ± std (n seeds), best evaluation of each trial", table);
        Assert.Matches(@"\| smp-s \| 0\.5000 ± 0\.0000 \(3, 3 collapsed\) \|", table); // half the dev split is class 0
        Assert.True(Regex.Matches(status, @"done \(collapsed\)").Count == 3, status);
        Assert.Contains("3 collapsed to one class", status);
        var cell = Assert.Single(JsonDocument.Parse(summary).RootElement.GetProperty("cells").EnumerateArray());
        Assert.Equal((3, 3), (cell.GetProperty("n").GetInt32(), cell.GetProperty("collapsed").GetInt32()));
        var accuracy = cell.GetProperty("metrics").GetProperty("accuracy");
        Assert.Equal((0.5, 0.0, 3, 0.5, 0.5), (accuracy.GetProperty("mean").GetDouble(), accuracy.GetProperty("std").GetDouble(),
            accuracy.GetProperty("n").GetInt32(), accuracy.GetProperty("min").GetDouble(), accuracy.GetProperty("max").GetDouble()));
    }
}
