using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

/// <summary>
/// Errors a user can cause end in one located line and exit code 2, never a stack trace, through the real `sweep`
/// executable: special files, a file where a folder belongs, an unreachable cluster, a flood of bad values.
/// </summary>
public sealed class UserErrorTests : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-user-errors-");
    private readonly string grid;

    public UserErrorTests() => grid = work.Write("grid.yaml", "name: x\ntasks: [spam-assassin]\nkeep: 0.5\n");

    public void Dispose() => work.Dispose();

    private static void AssertOneCleanError(int exitCode, string output, string fragment)
    {
        Assert.True(exitCode == 2, $"exit {exitCode}:\n{output}");
        Assert.Contains(fragment, output.ReplaceLineEndings(" ").Replace("  ", " "));
        Assert.DoesNotContain("   at ", output); // no stack frame
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task StateOrArtifactsThatIsAFile_IsNamed()
    {
        var file = work.Write("not-a-folder", "");

        var (state, stateOutput) = await SweepCli.RunAsync("submit", grid, "--state", file);
        var (artifacts, artifactsOutput) = await SweepCli.RunAsync("submit", grid, "--state", Path.Combine(work.Path, "state"), "--artifacts", file);

        AssertOneCleanError(state, stateOutput, "--state");
        AssertOneCleanError(artifacts, artifactsOutput, "--artifacts");
    }

    [Theory]
    [InlineData("--gateway")]
    [InlineData("--cluster")]
    public async Task UnreachableCluster_SaysSoInsteadOfWaitingForever(string option)
    {
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, option, $"127.0.0.1:{FreePorts.Next()}");

        AssertOneCleanError(exitCode, output, "cannot reach the cluster");
    }

    [Fact]
    public async Task GridThatIsAFifo_IsRefusedAtOnce_EvenOnADryRun()
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(work.Path, "grid-fifo.yaml"));

        var (exitCode, output) = await SweepCli.RunAsync("submit", fifo, "--dry-run");

        AssertOneCleanError(exitCode, output, "is a FIFO");
    }

    [Fact]
    public async Task DryRun_ChecksTheFoldersASubmitWould()
    {
        var missing = work.Write("missing.yaml", "name: x\ntasks:\n  - {name: sst2, data: nowhere}\nkeep: 0.5\n");

        var (exitCode, output) = await SweepCli.RunAsync("submit", missing, "--dry-run");

        AssertOneCleanError(exitCode, output, "does not exist");
    }

    [Fact]
    public async Task ThousandsOfBadValues_PrintAFewLinesAndACount()
    {
        var flood = work.Write("flood.yaml", "name: x\ntasks: [spam-assassin]\nkeep: [" + string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"bad{i}")) + "]\n");

        var (exitCode, output) = await SweepCli.RunAsync("submit", flood, "--dry-run");

        Assert.Equal(2, exitCode);
        Assert.InRange(output.Split('\n').Length, 50, 150);
        Assert.Contains("not shown", output);
    }

    [Fact]
    public async Task NegativeTrialLimit_IsRefused()
    {
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--max-trials", "-5", "--dry-run");

        AssertOneCleanError(exitCode, output, "--max-trials must be at least 1");
    }

    public static TheoryData<string[], string> BlankValues => new()
    {
        { ["submit", ""], "FILE is empty" },
        { ["submit", "  "], "FILE is empty" },
        { ["train", "--output", " "], "--output is empty" },
        { ["probe", "--model", ""], "--model is empty" },
        { ["list", "--state", ""], "--state is empty" },
        { ["results", "x", "--artifacts", " "], "--artifacts is empty" },
    };

    [Theory]
    [MemberData(nameof(BlankValues))]
    public async Task BlankValue_ForAnyCommand_IsNamedInsteadOfReachingAPathOrAGrain(string[] arguments, string expected)
    {
        var (exitCode, output) = await SweepCli.RunAsync(arguments);

        AssertOneCleanError(exitCode, output, expected);
        Assert.DoesNotContain("Parameter", output);
    }

    [Fact]
    public async Task GridSavedWithAByteOrderMark_IsReadAsItsText()
    {
        var withBom = Path.Combine(work.Path, "bom.yaml");
        File.WriteAllText(withBom, "name: x\ntasks: [spam-assassin]\nkeep: 0.5\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(withBom)[0]);

        var (exitCode, output) = await SweepCli.RunAsync("submit", withBom, "--dry-run");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Nothing was run", output);
    }
}
