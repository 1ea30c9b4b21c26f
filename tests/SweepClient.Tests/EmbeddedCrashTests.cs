using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mono.Unix.Native;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// The embedded cluster's process is killed (SIGKILL, nothing flushed) while it trains; `sweep watch` opens the same state
/// again and finishes the sweep: its workers died with it, the interrupted trials continue from their checkpoints, one
/// result each. Ctrl-C
/// (SIGINT) instead stops it cleanly: exit code 130, no unhandled exception, the trial's checkpoint left to resume from.
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
        var grid = LongGrid("crash", seeds: "[1, 2]");
        var artifacts = Path.Combine(work.Path, "store");
        string[] cluster = ["--artifacts", artifacts, "--state", Path.Combine(work.Path, "state")];

        using (var submit = await SubmitUntilACheckpoint(grid, cluster, artifacts, new StringBuilder()))
        {
            // The command's process alone, as the kernel's out-of-memory killer or `kill -9` would end it: its workers
            // end with it (their parent-death signal), so the next command does not find their trials still training.
            var workers = WorkerProcesses.Of(submit.Id);
            Assert.NotEmpty(workers);
            Assert.Equal(0, Syscall.kill(submit.Id, Signum.SIGKILL));
            await submit.WaitForExitAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!workers.All(WorkerProcesses.HasExited))
            {
                Assert.True(DateTime.UtcNow < deadline, $"workers {string.Join(", ", workers)} outlived the killed process");
                await Task.Delay(100);
            }
        }
        Assert.Empty(Directory.GetFiles(artifacts, "result.json", SearchOption.AllDirectories));

        var (listed, list) = await SweepCli.RunAsync(["list", .. cluster]);
        Assert.True(listed == 0, list);
        var sweepId = System.Text.RegularExpressions.Regex.Match(list, @"crash-[0-9a-f]{8}").Value;
        var (watched, watchOutput) = await SweepCli.RunAsync(["watch", sweepId, "--threads", "1", .. cluster]);
        Assert.True(watched == 0, watchOutput);

        var (resulted, json) = await SweepCli.RunAsync(["results", sweepId, "--format", "json", "--trials", .. cluster]);
        Assert.Equal(0, resulted);
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("done", r.GetProperty("State").GetString()));
        Assert.Contains(rows, r => r.GetProperty("Outcome").GetProperty("ResumedFromStep").GetInt32() > 0);
        Assert.Equal(2, Directory.GetFiles(artifacts, "result.json", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task CtrlCWhileTraining_ExitsCleanlyWith130_LeavingTheTrialsCheckpoint()
    {
        var grid = LongGrid("interrupt", seeds: "[1]");
        var artifacts = Path.Combine(work.Path, "store");
        var output = new StringBuilder();

        using (var submit = await SubmitUntilACheckpoint(grid, ["--artifacts", artifacts, "--state", Path.Combine(work.Path, "state")], artifacts, output))
        {
            Assert.Equal(0, Syscall.kill(submit.Id, Signum.SIGINT));
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await submit.WaitForExitAsync(timeout.Token);
            submit.WaitForExit(); // drains the output
            Assert.True(submit.ExitCode == 130, $"exit {submit.ExitCode}:\n{output}");
        }

        var text = output.ToString();
        Assert.DoesNotContain("Unhandled exception", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Contains("stopped watching", text);
        Assert.Single(Directory.GetFiles(artifacts, "checkpoint.safetensors", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(artifacts, "result.json", SearchOption.AllDirectories));
    }

    /// <summary>
    /// SMP-S trials on the tiny BERT, long enough to be stopped midway: 1,000 epochs of 3 steps, about 15 s in a worker
    /// of one thread (about 200 steps a second).
    /// </summary>
    private string LongGrid(string name, string seeds)
    {
        TinyTasks.WriteSst2Folder(work, repeats: 6);
        return work.Write("grid.yaml", $"""
            name: {name}
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s]
            keep: [0.5]
            seeds: {seeds}
            training:
              epochs: 1000
              batch_size: 8
              max_length: 16
            """);
    }

    /// <summary>Starts `sweep submit` (embedded) and returns once a trial has written a checkpoint; its output goes to <paramref name="output"/>.</summary>
    private static async Task<Process> SubmitUntilACheckpoint(string grid, string[] cluster, string artifacts, StringBuilder output)
    {
        var start = SweepCli.StartInfo(["submit", grid, "--threads", "1", .. cluster]);
        // A command started in the background of a non-interactive shell inherits SIGINT ignored, and .NET then leaves it
        // ignored, as shells expect: through env (which execs, keeping the pid) the command gets the default, as from a terminal.
        start.ArgumentList.Insert(0, start.FileName);
        start.ArgumentList.Insert(0, "--default-signal=INT");
        start.FileName = "env";
        var submit = Process.Start(start)!;
        submit.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        submit.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        submit.BeginOutputReadLine();
        submit.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!Directory.Exists(Path.Combine(artifacts, "trials")) ||
               Directory.GetFiles(Path.Combine(artifacts, "trials"), "checkpoint.safetensors", SearchOption.AllDirectories).Length == 0)
        {
            Assert.False(submit.HasExited, "the sweep ended before any checkpoint was written:\n" + output);
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint after 2 minutes");
            await Task.Delay(100);
        }
        return submit;
    }
}
