using System.Diagnostics;
using System.Text.Json;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// The embedded cluster's process is killed (SIGKILL, nothing flushed) while it trains; `sweep watch` opens the same state
/// again and finishes the sweep: the interrupted trials continue from their checkpoints, one result each.
/// </summary>
public sealed class EmbeddedCrashTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task EmbeddedProcessKilledMidSweep_WatchResumesItFromTheCheckpoints_OneResultPerTrial()
    {
        TinyTasks.WriteSst2Folder(work, repeats: 6);
        var grid = work.Write("grid.yaml", $"""
            name: crash
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5]
            seeds: [1, 2]
            training:
              epochs: 300
              batch_size: 8
              max_length: 16
            """);
        var artifacts = Path.Combine(work.Path, "store");
        string[] cluster = ["--artifacts", artifacts, "--state", Path.Combine(work.Path, "state")];

        using (var submit = Process.Start(SweepCli.StartInfo(["submit", grid, "--threads", "1", .. cluster]))!)
        {
            submit.OutputDataReceived += (_, _) => { };
            submit.ErrorDataReceived += (_, _) => { };
            submit.BeginOutputReadLine();
            submit.BeginErrorReadLine();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!Directory.Exists(Path.Combine(artifacts, "trials")) ||
                   Directory.GetFiles(Path.Combine(artifacts, "trials"), "checkpoint.safetensors", SearchOption.AllDirectories).Length == 0)
            {
                Assert.False(submit.HasExited, "the sweep ended before any checkpoint was written");
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint after 2 minutes");
                await Task.Delay(100);
            }
            submit.Kill(entireProcessTree: true);
            await submit.WaitForExitAsync();
        }
        Assert.Empty(Directory.GetFiles(artifacts, "result.json", SearchOption.AllDirectories));

        var (listed, list) = await SweepCli.RunAsync(["list", .. cluster]);
        Assert.True(listed == 0, list);
        var sweepId = System.Text.RegularExpressions.Regex.Match(list, @"crash-[0-9a-f]{8}").Value;
        var (watched, watchOutput) = await SweepCli.RunAsync(["watch", sweepId, .. cluster]);
        Assert.True(watched == 0, watchOutput);

        var (resulted, json) = await SweepCli.RunAsync(["results", sweepId, "--format", "json", "--trials", .. cluster]);
        Assert.Equal(0, resulted);
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("done", r.GetProperty("State").GetString()));
        Assert.Contains(rows, r => r.GetProperty("Outcome").GetProperty("ResumedFromStep").GetInt32() > 0);
        Assert.Equal(2, Directory.GetFiles(artifacts, "result.json", SearchOption.AllDirectories).Length);
    }
}
