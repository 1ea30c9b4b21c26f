using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests.Output;

/// <summary>
/// One finished sweep on the tiny BERT whose results table is wider than 80 columns (dense and four keep fractions,
/// two seeds: every cell a mean ± std), shared by the tests that read it back through the real `sweep` executable.
/// </summary>
public sealed class ListedSweep : IAsyncLifetime
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new("sweeps-cli-output-");

    public string SweepId { get; private set; } = "";

    /// <summary>What `sweep submit` printed to its pipe while the sweep ran.</summary>
    public string SubmitOutput { get; private set; } = "";

    /// <summary>The embedded cluster's options that find this sweep.</summary>
    public string[] Cluster => ["--artifacts", Path.Combine(work.Path, "store"), "--state", Path.Combine(work.Path, "state")];

    public async Task InitializeAsync()
    {
        TinyTasks.WriteSst2Folder(work);
        var grid = work.Write("grid.yaml", $"""
            name: a-sweep-whose-name-is-long-enough-to-matter-at-eighty-columns
            model: {tiny.Directory}
            tasks:
              - name: sst2
                data: sst2
            methods: [dense, smp-s]
            keep: [0.7, 0.5, 0.3, 0.1]
            seeds: [1, 2]
            training:
              epochs: 1
              batch_size: 8
              max_length: 16
              head_lr: 1e-2
            """);
        var (exitCode, output) = await SweepCli.RunAsync(["submit", grid, "--threads", "1", .. Cluster]);
        Assert.True(exitCode == 0, output);
        SubmitOutput = output;
        SweepId = System.Text.RegularExpressions.Regex.Match(output, @"sweep (a-sweep-[\w-]+-[0-9a-f]{8})").Groups[1].Value;
        Assert.True(SweepId.Length > 0, output);
    }

    public Task DisposeAsync()
    {
        tiny.Dispose();
        work.Dispose();
        return Task.CompletedTask;
    }
}
