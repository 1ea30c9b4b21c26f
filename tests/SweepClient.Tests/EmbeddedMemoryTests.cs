using System.Diagnostics;
using System.Text;
using Sweeps.Testing;
using Xunit.Abstractions;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// The `sweep submit` process hosting the embedded cluster runs 30 tiny trials in a row and stays small and flat: its
/// trials run in worker processes, so nothing a trial allocates stays behind in it.
/// </summary>
public sealed class EmbeddedMemoryTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What the command's process may hold at most: the embedded silo, its SQLite state, libtorch's code (loaded to find devices).</summary>
    private const long Bound = 512L << 20;

    /// <summary>How much more it may hold after the 30th trial than after the 10th (allocator noise, not growth per trial).</summary>
    private const long Drift = 48L << 20;

    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ThirtyTrialsInARow_TheCommandsResidentMemoryStaysBoundedAndFlat()
    {
        TinyTasks.WriteSst2Folder(work, repeats: 2);
        var grid = work.Write("grid.yaml", $"""
            name: thirty
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [smp-s, dense]
            keep: [0.5]
            seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
            training:
              epochs: 2
              batch_size: 8
              max_length: 16
            """);
        var store = Path.Combine(work.Path, "store");
        var text = new StringBuilder();
        using var submit = Process.Start(SweepCli.StartInfo(["submit", grid, "--threads", "1", "--artifacts", store, "--state", Path.Combine(work.Path, "state")]))!;
        submit.OutputDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        submit.ErrorDataReceived += (_, e) => { lock (text) text.AppendLine(e.Data); };
        submit.BeginOutputReadLine();
        submit.BeginErrorReadLine();
        await using (var memory = new ResidentMemory(submit.Id, () => Results(store)))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
            await submit.WaitForExitAsync(timeout.Token);
            submit.WaitForExit();
            output.WriteLine($"resident memory by trials done: {memory.Describe()}");
            Assert.True(submit.ExitCode == 0, text.ToString());
            Assert.Equal(30, Results(store));

            Assert.True(memory.Peak <= Bound, $"peak {memory.Peak >> 20} MiB, bound {Bound >> 20} MiB");
            var afterTen = memory.PeakWhile(10, 12);
            var afterThirty = memory.PeakWhile(28, 30);
            Assert.True(afterThirty - afterTen <= Drift, $"{afterTen >> 20} MiB after 10 trials, {afterThirty >> 20} MiB after 30");
        }
    }

    private static int Results(string store) =>
        Directory.Exists(store) ? Directory.GetFiles(store, "result.json", SearchOption.AllDirectories).Length : 0;
}
