using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

public sealed class ProbeCommandTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder data = new();

    public ProbeCommandTests()
    {
        const string rows = "sentence\tlabel\nwin free money now\t0\ngreat meeting today\t1\nclick here offer\t0\nlunch please\t1\n";
        data.Write("train.tsv", rows);
        data.Write("dev.tsv", rows);
    }

    public void Dispose()
    {
        tiny.Dispose();
        data.Dispose();
    }

    [Fact]
    public async Task Probe_TinyBertOnGlueFolder_PrintsDevMetricsAndExitsZero()
    {
        var (exitCode, output) = await SweepCli.RunAsync("probe", "--model", tiny.Directory, "--task", "sst2", "--data", data.Path, "--threads", "1");

        Assert.True(exitCode == 0, output);
        Assert.Contains("dev accuracy", output);
        Assert.Contains("majority-class accuracy", output);
    }

    [Fact]
    public async Task Probe_MissingModelFolder_ExitCodeTwoNamingTheFolder()
    {
        var missing = Path.Combine(data.Path, "no-such-model");

        var (exitCode, output) = await SweepCli.RunAsync("probe", "--model", missing, "--task", "sst2", "--data", data.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("no-such-model", output);
    }

    [Fact]
    public async Task Probe_MalformedDevFile_ExitCodeTwoNamingFileAndLine()
    {
        data.Write("dev.tsv", "sentence\tlabel\nfine\t1\nbroken line without a label\n");

        var (exitCode, output) = await SweepCli.RunAsync("probe", "--model", tiny.Directory, "--task", "sst2", "--data", data.Path);

        Assert.Equal(2, exitCode);
        Assert.Contains("dev.tsv:3:", output);
    }
}
