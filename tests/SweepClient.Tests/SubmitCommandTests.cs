using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>The embedded path end to end on the tiny BERT: grid → trials → results, through the real `sweep` executable.</summary>
public sealed class SubmitCommandTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();
    private readonly string grid;

    public SubmitCommandTests()
    {
        TinyTasks.WriteSst2Folder(work);
        grid = work.Write("grid.yaml", $"""
            name: tiny
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [dense, smp-s]
            keep: [0.5]
            distillation: [off, teacher]
            seeds: [1]
            training:
              epochs: 2
              batch_size: 8
              max_length: 16
              head_lr: 1e-2
            """);
    }

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Submit_TinyGrid_RunsTeacherAndStudentsAndPrintsTheTable()
    {
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state"),
            "--threads", "1", "--format", "markdown");

        Assert.True(exitCode == 0, output);
        Assert.Contains("| method | dense (100%) | keep 50% |", output);
        Assert.Contains("| dense |", output);
        Assert.Contains("| smp-s |", output);
        Assert.Contains("| smp-s + KD |", output);
    }

    [Fact]
    public async Task Submit_TrialThatFails_IsLoggedAsAWarningInTheStateFolder_WhichTheOutputNames()
    {
        var diverging = work.Write("diverging.yaml", $"""
            name: diverging
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [dense]
            retry_limit: 0
            training:
              epochs: 2
              batch_size: 8
              max_length: 16
              head_lr: 1e6
              weight_lr: 1e6
            """);
        var state = Path.Combine(work.Path, "state");

        var (exitCode, output) = await SweepCli.RunAsync("submit", diverging, "--artifacts", Path.Combine(work.Path, "store"), "--state", state, "--threads", "1");

        Assert.True(exitCode == 1, output);
        Assert.Contains("sweep.log", output.ReplaceLineEndings(""));
        var log = await File.ReadAllTextAsync(Path.Combine(state, "sweep.log"));
        Assert.Contains("the loss became", log);
    }

    [Fact]
    public async Task Submit_SameGridToAnotherCluster_ReusesEveryTrialFromTheArtefactStore()
    {
        var store = Path.Combine(work.Path, "store");
        await SweepCli.RunAsync("submit", grid, "--artifacts", store, "--state", Path.Combine(work.Path, "state-a"), "--threads", "1");

        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--artifacts", store, "--state", Path.Combine(work.Path, "state-b"),
            "--threads", "1", "--format", "csv", "--trials");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n').Where(l => l.Contains(",sst2,")).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Contains(",reused,", l));
    }

    [Fact]
    public async Task AfterSubmit_ListStatusAndResults_ReadTheSweepBackFromTheEmbeddedStore()
    {
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];
        var (submitted, submitOutput) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        Assert.True(submitted == 0, submitOutput);
        var sweepId = System.Text.RegularExpressions.Regex.Match(submitOutput, @"sweep (tiny-[0-9a-f]{8})").Groups[1].Value;
        Assert.NotEmpty(sweepId);

        var (listed, list) = await SweepCli.RunAsync(["list", .. cluster]);
        var (statused, status) = await SweepCli.RunAsync(["status", sweepId, .. cluster]);
        var (resulted, csv) = await SweepCli.RunAsync(["results", sweepId, "--format", "csv", "--trials", .. cluster]);
        var (summarised, summary) = await SweepCli.RunAsync(["results", sweepId, "--format", "csv", .. cluster]);
        var (missing, missingOutput) = await SweepCli.RunAsync(["status", "no-such-sweep", .. cluster]);
        var svg = Path.Combine(work.Path, "plot.svg");
        var (plotted, plotOutput) = await SweepCli.RunAsync(["plot", sweepId, "--output", svg, .. cluster]);

        Assert.Equal(0, listed);
        Assert.Contains(sweepId, list);
        Assert.Equal(0, statused);
        Assert.Contains("3 done", status);
        Assert.Equal(0, resulted);
        Assert.Equal(3, csv.Split('\n').Count(l => l.Contains(",sst2,") && l.Contains(",done,")));
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var churn = Array.IndexOf(lines.First(l => l.StartsWith("trial,", StringComparison.Ordinal)).Split(','), "mask_churn");
        Assert.True(churn > 0, "no mask_churn column");
        foreach (var row in lines.Where(l => l.Contains(",sst2,")).Select(l => l.Split(',')))
            Assert.Matches(row[2] == "dense" ? "^$" : @"^\d+:[0-9.E+-]+( \d+:[0-9.E+-]+)*$", row[churn]); // step:churn of each evaluation; none for dense
        Assert.Equal(0, summarised);
        Assert.StartsWith("task,method,distillation,keep,settings,metric,mean,std,n,min,max,collapsed,stopped,select,trials", summary);
        Assert.Equal(3, summary.Split('\n').Count(l => l.StartsWith("sst2,") && l.Contains(",accuracy,")));
        Assert.Equal(2, missing);
        Assert.Contains("no sweep 'no-such-sweep'", missingOutput);
        Assert.True(plotted == 0, plotOutput);
        var picture = System.Xml.Linq.XDocument.Load(svg); // well-formed SVG
        Assert.Equal("svg", picture.Root!.Name.LocalName);
        Assert.Contains("smp-s + KD (n=1", picture.ToString()); // the legend names each line with its seeds
    }

    [Fact]
    public async Task Submit_DryRun_ListsTrialsAndRunsNothing()
    {
        var store = Path.Combine(work.Path, "store");

        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--dry-run", "--artifacts", store);

        Assert.Equal(0, exitCode);
        Assert.Contains("3 trials", output);
        Assert.Contains("Nothing was run", output);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public async Task Submit_InvalidGrid_ExitCodeTwoAllErrorsNothingWritten()
    {
        var bad = work.Write("bad.yaml", "name: x\ntasks: [sst3]\nkeep: [2]\n");
        var store = Path.Combine(work.Path, "store");

        var (exitCode, output) = await SweepCli.RunAsync("submit", bad, "--artifacts", store);

        Assert.Equal(2, exitCode);
        Assert.Contains("bad.yaml:2:", output);
        Assert.Contains("bad.yaml:3:", output);
        Assert.Contains("nothing was submitted", output);
        Assert.False(Directory.Exists(store));
    }

    [Fact]
    public async Task Submit_ToAClusterWithFoldersOutsideTheRoots_ExitCodeTwoNothingSubmitted()
    {
        // No cluster listens at this address: the refusal comes before any connection is tried.
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--cluster", "127.0.0.1:1", "--roots", "/inputs");

        Assert.Equal(2, exitCode);
        Assert.Contains("is outside the allowed roots (/inputs)", output);
        Assert.Contains("nothing was submitted", output);
    }
}
