using System.Text.RegularExpressions;
using Sweeps.SweepClient.Grids;
using Sweeps.Testing;
using Sweeps.Worker;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// Four trials of one embedded sweep meet four faults in their first worker — an abort and a segmentation fault in
/// native code, an allocation past the grid's memory cap, a hang — and each ends that attempt with its own reason,
/// which `sweep status` shows; each is retried, and the sweep finishes with one result per trial.
/// </summary>
public sealed partial class WorkerFaultSweepTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task FaultyWorkers_EachEndWithTheirOwnReason_AreRetried_AndTheSweepFinishes()
    {
        TinyTasks.WriteSst2Folder(work, repeats: 6);
        var grid = work.Write("grid.yaml", $"""
            name: faults
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5]
            seeds: [1, 2, 3, 4]
            training:
              epochs: 4
              batch_size: 8
              max_length: 16
            resources:
              memory: 3Gi
            retry_limit: 1
            """);
        var trials = GridFile.Load(grid).Trials.Select(t => t.Id).ToArray();
        var environment = new Dictionary<string, string>
        {
            [WorkerFaults.EnvironmentVariable] = $"{trials[0]}=abort@3;{trials[1]}=segv@3;{trials[2]}=allocate@3;{trials[3]}=hang@3",
            ["Sweeps__Worker__HangTimeout"] = "00:00:05",
        };
        string[] cluster = ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];

        var (submitted, output) = await SweepCli.RunAsync(environment, ["submit", grid, "--slots", "2", "--threads", "2", .. cluster]);
        Assert.True(submitted == 0, output);
        var sweepId = Regex.Match(output, @"faults-[0-9a-f]{8}").Value;
        var (shown, status) = await SweepCli.RunAsync(["status", sweepId, .. cluster]);
        Assert.True(shown == 0, status);

        var text = Unwrapped(status);
        Assert.Contains("4 done", text);
        Assert.Contains("attempt 1 crashed: the worker was killed by SIGABRT at step 3", text);
        Assert.Contains("attempt 1 crashed: the worker was killed by SIGSEGV at step 3", text);
        Assert.Contains("attempt 1 out of memory: an allocation failed at step 3 within the worker's memory cap of 3 GiB: ", text);
        Assert.Contains("attempt 1 hung: no progress for 5 s at step 3", text);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(work.Path, "store"), "result.json", SearchOption.AllDirectories).Length);
    }

    /// <summary>The table's text with its borders gone and wrapped cells joined: a long note reads as one line.</summary>
    private static string Unwrapped(string table) => Whitespace().Replace(table.Replace('│', ' ').Replace('─', ' '), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
