using Sweeps.Pruning.Checkpoints;
using Sweeps.Testing;
using Xunit.Abstractions;

namespace Sweeps.SweepClient.Tests;

/// <summary>SQuAD through the embedded cluster and the real `sweep` executable, on the tiny BERT and on MiniLM.</summary>
public sealed class SquadSweepTests : IDisposable
{
    private readonly TemporaryFolder work = new();
    private readonly ITestOutputHelper log;

    public SquadSweepTests(ITestOutputHelper log)
    {
        this.log = log;
        TinySquad.WriteFolder(work);
    }

    public void Dispose() => work.Dispose();

    private string Grid(string model, string methods, string distillation, int maxLength) => work.Write($"grid-{Guid.NewGuid():N}.yaml", $"""
        name: squad-{Guid.NewGuid():N}
        model: {model}
        tasks:
          - name: squad
            data: squad
        methods: {methods}
        keep: [0.5]
        distillation: {distillation}
        seeds: [1]
        training:
          epochs: 3
          batch_size: 8
          max_length: {maxLength}
          head_lr: 2e-2
          weight_lr: 1e-3
        """);

    private async Task<string> SubmitAsync(string grid)
    {
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--artifacts", Path.Combine(work.Path, "store"),
            "--state", Path.Combine(work.Path, "state"), "--threads", "1", "--format", "markdown");
        log.WriteLine(output);
        Assert.True(exitCode == 0, output);
        return output;
    }

    [Fact]
    public async Task Submit_SquadOnTheTinyBert_TrainsTeacherAndStudentsAndTheTableShowsExactMatchAndF1()
    {
        using var tiny = new TinyBert();

        var output = await SubmitAsync(Grid(tiny.Directory, "[dense, smp-l]", "[off, teacher]", 32));

        Assert.Contains("**squad** — dev exact_match / f1, mean ± std (n seeds), best evaluation of each trial", output);
        Assert.Matches(@"\| dense \| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
        Assert.Matches(@"\| smp-l \| +\| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
        Assert.Matches(@"\| smp-l \+ KD \| +\| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
    }

    [Fact]
    public async Task Submit_SquadOnMiniLm_RunsWithTheLinearSpanHead()
    {
        var output = await SubmitAsync(Grid(BuiltInModels.MiniLm, "[smp-s]", "[off]", 64));

        Assert.Contains("**squad** — dev exact_match / f1, mean ± std (n seeds), best evaluation of each trial", output);
        Assert.Matches(@"\| smp-s \| [01]\.\d{4} / [01]\.\d{4} \(1(, 1 collapsed)?\) \|", output);
    }
}
