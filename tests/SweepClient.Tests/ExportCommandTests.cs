using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>`sweep export` on a trial that `sweep train` left in an artefact store's layout (trials/&lt;id&gt;/).</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    private string Artifacts => Path.Combine(work.Path, "artifacts");

    private async Task TrainAsync(string trialId)
    {
        TinyTasks.WriteSst2Folder(work, repeats: 4);
        var (exit, output) = await SweepCli.RunAsync(
            "train", "--model", tiny.Directory, "--task", "sst2", "--data", Path.Combine(work.Path, "sst2"), "--method", "smp-s",
            "--keep", "0.3", "--epochs", "2", "--batch-size", "8", "--max-length", "16", "--threads", "1",
            "--output", Path.Combine(Artifacts, "trials", trialId));
        Assert.True(exit == 0, output);
    }

    private static string[] ErrorLines(string output) => output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Export_WritesTheFolderAndPrintsItsSizes_RefusesAFullFolderUnlessForced()
    {
        await TrainAsync("t1");
        var destination = Path.Combine(work.Path, "model");

        var (exit, output) = await SweepCli.RunAsync("export", "t1", "--artifacts", Artifacts, "-o", destination);

        Assert.True(exit == 0, output);
        Assert.Contains("BertForSequenceClassification", output);
        Assert.Contains("exported weights, gzip", output);
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "README.md" })
            Assert.True(File.Exists(Path.Combine(destination, file)), file);
        Assert.Contains("sweep export t1", File.ReadAllText(Path.Combine(destination, "README.md")));

        var (again, refusal) = await SweepCli.RunAsync("export", "t1", "--artifacts", Artifacts, "-o", destination);
        Assert.Equal(2, again);
        Assert.Contains("not empty", Assert.Single(ErrorLines(refusal)));

        var (forced, forcedOutput) = await SweepCli.RunAsync("export", "t1", "--artifacts", Artifacts, "-o", destination, "--force");
        Assert.True(forced == 0, forcedOutput);
        Assert.Equal(new[] { "artifacts", "model", "sst2" }, Directory.GetFileSystemEntries(work.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_UnknownTrialAndUnknownFormat_AreOneLineErrorsWithExitCode2()
    {
        var destination = Path.Combine(work.Path, "model");

        var (exit, output) = await SweepCli.RunAsync("export", "nothing-here", "--artifacts", Artifacts, "-o", destination);
        Assert.Equal(2, exit);
        Assert.Contains("no trial 'nothing-here'", Assert.Single(ErrorLines(output)));

        var (badFormat, formatOutput) = await SweepCli.RunAsync("export", "nothing-here", "--artifacts", Artifacts, "-o", destination, "--format", "tflite");
        Assert.Equal(2, badFormat);
        Assert.Contains("unknown export format 'tflite'", Assert.Single(ErrorLines(formatOutput)));
        Assert.False(Directory.Exists(destination));
    }

    [Fact]
    public async Task ExportBest_TakesTheSweepsBestTrialOfTheCell_SaysWhy_AndNamesTheSweepInTheCard()
    {
        TinyTasks.WriteSst2Folder(work);
        var grid = work.Write("grid.yaml", $$"""
            name: tiny-export
            model: {{tiny.Directory}}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5]
            seeds: [1, 2]
            training:
              epochs: 1
              batch_size: 8
              max_length: 16
              head_lr: 1e-2
            """);
        string[] cluster = ["--artifacts", Artifacts, "--state", Path.Combine(work.Path, "state")];
        var (submitted, table) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. cluster]);
        Assert.True(submitted == 0, table);
        var sweepId = System.Text.RegularExpressions.Regex.Match(table, @"sweep (tiny-export-[0-9a-f]{8})").Groups[1].Value;
        var destination = Path.Combine(work.Path, "best");

        var (exit, output) = await SweepCli.RunAsync(["export", sweepId, "--best", "--task", "sst2", "--keep", "0.5", "-o", destination, .. cluster]);
        var (missing, refusal) = await SweepCli.RunAsync(["export", sweepId, "--best", "--task", "sst2", "--keep", "0.1", "-o", destination + "-none", .. cluster]);

        Assert.True(exit == 0, output);
        var reason = System.Text.RegularExpressions.Regex.Match(output.ReplaceLineEndings(""), @"2 trials match .*?chose trial ([0-9a-f]{16})");
        Assert.True(reason.Success, output);
        var card = File.ReadAllText(Path.Combine(destination, "README.md"));
        Assert.Contains(sweepId, card);
        Assert.Contains(reason.Groups[1].Value, card);
        Assert.Equal(2, missing);
        Assert.Contains("no finished trial of task 'sst2' at keep 0.1", Assert.Single(ErrorLines(refusal)));
        Assert.False(Directory.Exists(destination + "-none"));
    }
}
