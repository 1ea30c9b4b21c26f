using System.Text.Json;
using Sweeps.Testing;

namespace Sweeps.SweepClient.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public TrainCommandTests()
    {
        TinyTasks.WriteSst2Folder(work, repeats: 8);
    }

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task Train_SameSeedInTwoProcesses_IdenticalLossCurveAndMetrics()
    {
        string[] Arguments(string output) =>
        [
            "train", "--model", tiny.Directory, "--task", "sst2", "--data", Path.Combine(work.Path, "sst2"), "--method", "smp-s",
            "--keep", "0.3", "--epochs", "3", "--batch-size", "8", "--max-length", "16", "--threads", "1", "--output", output,
        ];
        var first = Path.Combine(work.Path, "first");
        var second = Path.Combine(work.Path, "second");

        var (exitA, outputA) = await SweepCli.RunAsync(Arguments(first));
        var (exitB, outputB) = await SweepCli.RunAsync(Arguments(second));

        Assert.True(exitA == 0, outputA);
        Assert.True(exitB == 0, outputB);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "result.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "result.json")));
        Assert.Equal(a.RootElement.GetProperty("LossCurve").GetRawText(), b.RootElement.GetProperty("LossCurve").GetRawText());
        Assert.Equal(a.RootElement.GetProperty("DevMetrics").GetRawText(), b.RootElement.GetProperty("DevMetrics").GetRawText());
    }

    [Fact]
    public async Task Train_ModelWithAWeightThatIsNotFinite_RefusedNamingTheTensor_ExitCode2()
    {
        Dictionary<string, TorchSharp.torch.Tensor> tensors;
        using (var file = Sweeps.Pruning.Checkpoints.SafetensorsFile.Open(tiny.Folder.WeightsPath))
            tensors = file.Entries.Keys.ToDictionary(n => n, file.ReadFloat32);
        tensors["encoder.layer.1.output.dense.weight"][0, 0] = double.NaN;
        Sweeps.Pruning.Checkpoints.SafetensorsFile.Write(tiny.Folder.WeightsPath, tensors);

        var (exitCode, output) = await SweepCli.RunAsync("train", "--model", tiny.Directory, "--task", "sst2", "--data", Path.Combine(work.Path, "sst2"),
            "--method", "smp-s", "--keep", "0.3", "--epochs", "1", "--batch-size", "8", "--max-length", "16", "--threads", "1", "--output", Path.Combine(work.Path, "out"));

        Assert.True(exitCode == 2, output);
        Assert.Contains("tensor 'encoder.layer.1.output.dense.weight' holds 1 of", output.ReplaceLineEndings(" "));
        Assert.DoesNotContain("the loss became", output);
        Assert.DoesNotContain("   at ", output);
    }
}
