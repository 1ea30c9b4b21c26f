using System.Text.Json;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Output;

/// <summary>
/// What the CLI prints where it is printed, through the real `sweep` executable: tables piped with no COLUMNS keep
/// every cell on one line, `sweep list` stays readable at 80 columns and has CSV and JSON for scripts, and every command
/// that takes a sweep's id answers an empty, blank or unknown one with one line of ours and exit code 2.
/// </summary>
public sealed class CliOutputTests(ListedSweep sweep) : IClassFixture<ListedSweep>
{
    private static readonly Dictionary<string, string> Piped = new() { ["COLUMNS"] = "" };
    private static readonly Dictionary<string, string> EightyColumns = new() { ["COLUMNS"] = "80" };

    [Fact]
    public async Task Results_PipedWithoutColumns_EveryCellOnOneLine()
    {
        var (_, markdown) = await SweepCli.RunAsync(["results", sweep.SweepId, "--format", "markdown", .. sweep.Cluster]);
        var cells = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains('±'))
            .SelectMany(l => l.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Skip(1)).ToList();

        var (exitCode, table) = await SweepCli.RunAsync(Piped, ["results", sweep.SweepId, .. sweep.Cluster]);

        Assert.True(exitCode == 0, table);
        Assert.True(cells.Count == 5, markdown); // dense, and smp-s at four keep fractions: each a mean ± std over two seeds
        var lines = table.Split('\n');
        Assert.True(lines.Max(l => l.Length) > 80, table); // wider than the 80 columns a pipe used to be given
        Assert.All(cells, cell => Assert.True(lines.Any(l => l.Contains(cell, StringComparison.Ordinal)), $"'{cell}' is split:\n{table}"));
        Assert.Contains("sst2 — dev accuracy, mean ± std (n seeds), best evaluation of each trial", lines);
    }

    [Fact]
    public void Submit_FollowedThroughAPipe_ALineWhenEachTrialStartsAndEnds_NoRedrawnBars()
    {
        var lines = sweep.SubmitOutput.Split('\n');

        // At most one line per trial's attempt (a trial that starts and ends between two looks has none).
        var running = lines.Count(l => l.Contains("] running", StringComparison.Ordinal));
        Assert.True(running is >= 1 and <= 10, sweep.SubmitOutput);
        Assert.Equal(10, lines.Count(l => l.Contains(": done accuracy ", StringComparison.Ordinal)));
        // No trial's line says it is queued, and no bar is redrawn (its percentage); a slow machine may add the
        // once-a-minute line of counts, which begins with the time.
        var trialLines = lines.Where(l => !System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d\d:\d\d:\d\d ")).ToList();
        Assert.DoesNotContain(trialLines, l => l.Contains("queued", StringComparison.Ordinal) || l.TrimEnd().EndsWith('%'));
    }

    [Fact]
    public async Task List_AtEightyColumns_NoLineLongerAndNoFieldSplit()
    {
        var (_, csv) = await SweepCli.RunAsync(["list", "--format", "csv", .. sweep.Cluster]);
        var counts = csv.Split('\n')[1].Split(',');

        var (exitCode, list) = await SweepCli.RunAsync(EightyColumns, ["list", .. sweep.Cluster]);

        Assert.True(exitCode == 0, list);
        var lines = list.TrimEnd().Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.Contains(sweep.SweepId, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"{counts[4]} trials: {counts[5]} done", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_AsCsvAndJson_EveryCountInAFieldOfItsOwn()
    {
        var (csvExit, csv) = await SweepCli.RunAsync(["list", "--format", "csv", .. sweep.Cluster]);
        var (jsonExit, json) = await SweepCli.RunAsync(["list", "--format", "json", .. sweep.Cluster]);

        Assert.Equal((0, 0), (csvExit, jsonExit));
        var rows = csv.TrimEnd().Split('\n');
        Assert.Equal("sweep,name,owner,submitted,trials,done,running,queued,failed,collapsed,stopped,cancelled", rows[0]);
        Assert.Equal(2, rows.Length);
        var fields = rows[1].Split(',');
        Assert.Equal((sweep.SweepId, "10", "10", "0"), (fields[0], fields[4], fields[5], fields[6]));
        var listed = JsonDocument.Parse(json).RootElement[0];
        Assert.Equal(sweep.SweepId, listed.GetProperty("sweep").GetString());
        Assert.Equal(10, listed.GetProperty("trials").GetInt32());
        Assert.Equal(10, listed.GetProperty("counts").GetProperty("done").GetInt32());
    }

    public static TheoryData<string, string> BadIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "status", "watch", "results", "plot", "cancel" })
        {
            data.Add(command, "");
            data.Add(command, "   ");
            data.Add(command, "no-such-sweep");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task EveryCommandTakingAnId_EmptyBlankOrUnknown_OneLineOfOursAndExitCode2(string command, string id)
    {
        var (exitCode, output) = await SweepCli.RunAsync([command, id, .. sweep.Cluster]);

        Assert.True(exitCode == 2, $"exit {exitCode}:\n{output}");
        Assert.StartsWith("error: ", output);
        Assert.Contains(id.Trim().Length == 0 ? "the sweep ID is empty" : "no sweep 'no-such-sweep'", output);
        Assert.DoesNotContain("Parameter", output); // Orleans' and .NET's wording ("(Parameter 'primaryKey')")
        Assert.DoesNotContain("   at ", output);
        Assert.True(output.TrimEnd().Split('\n').Length <= 2, output); // the problem, and where to read the usage
    }
}
