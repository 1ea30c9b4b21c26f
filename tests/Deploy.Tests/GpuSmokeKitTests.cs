using System.Text.RegularExpressions;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The GPU smoke kit in CPU mode: built by its script into one bundle of at most 60 MB with the .NET runtime and no
/// libtorch, it finds a wheel-layout libtorch, loads the prebuilt glue against it and trains the tiny SMP trial in
/// fp32 and bf16 without the .NET SDK; where the glue does not fit, it says what it would need.
/// </summary>
public sealed partial class GpuSmokeKitTests(GpuSmokeBundle bundle) : IClassFixture<GpuSmokeBundle>
{
    [Fact]
    public void Build_PrintsTheBundleSize_AtMost60MB_WithTheRuntimeAndNoLibtorch()
    {
        Assert.True(bundle.BuildExitCode == 0, bundle.BuildOutput);
        var size = SizeLine().Match(bundle.BuildOutput);
        Assert.True(size.Success, bundle.BuildOutput);
        Assert.True(double.Parse(size.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 60, size.Value);
        Assert.Equal(new FileInfo(bundle.Archive).Length, long.Parse(size.Groups[2].Value));

        var app = Path.Combine(bundle.Kit, "app");
        Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")), "the .NET runtime is not in the bundle");
        Assert.Empty(Directory.GetFiles(bundle.Kit, "libtorch*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(app, "libLibTorchSharp.so"));
        Assert.True(File.Exists(Path.Combine(bundle.Kit, "glue", "prebuilt", "libLibTorchSharp.so")));
        Assert.Contains("libtorch=2.10.0", File.ReadAllText(Path.Combine(bundle.Kit, "glue", "prebuilt", "built-for")));
    }

    [Fact]
    public void CpuMode_WheelLayoutLibtorch_PrebuiltGlue_TrainsFp32AndBf16ToTheirKeep()
    {
        Assert.True(bundle.BuildExitCode == 0, bundle.BuildOutput);
        var torch = bundle.TorchFolder("2.10.0+cpu");

        var (exit, output) = bundle.RunKit("--torch", torch, "--cpu-only", "--steps", "8", "--batch", "8", "--length", "16", "--hidden", "32", "--layers", "2");

        Assert.True(exit == 0, output);
        Assert.Contains($"torch     : 2.10.0+cpu (CUDA none) in {torch}", output);
        Assert.Contains("glue      : prebuilt (TorchSharp 0.107.0, built for libtorch 2.10.0), loads against torch 2.10.0+cpu", output);
        var trials = TrialLine().Matches(output);
        Assert.Equal(["fp32", "bf16"], trials.Select(t => t.Groups["precision"].Value));
        Assert.All(trials, t => Assert.Equal("0.500", t.Groups["keep"].Value));
        Assert.All(trials, t => Assert.True(double.Parse(t.Groups["step"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, t.Value));
        Assert.Contains("result: ok (2 trials reached keep 0.5 with finite losses)", output);
        var report = File.ReadAllText(Path.Combine(bundle.Home, "sweeps-gpu-smoke-report.txt"));
        Assert.Contains("result: ok", report);
        Assert.Contains("cpu     bf16", report);
    }

    [Fact]
    public void OtherTorchVersion_WithoutBundledSource_SaysItCannotBuildTheGlue()
    {
        Assert.True(bundle.BuildExitCode == 0, bundle.BuildOutput);

        var (exit, output) = bundle.RunKit("--torch", bundle.TorchFolder("2.5.1+cu124"), "--cpu-only");

        Assert.Equal(1, exit);
        Assert.Contains("the prebuilt glue is for libtorch 2.10.0, this is torch 2.5.1+cu124: building one from TorchSharp 0.107.0's source", output);
        Assert.Contains("this bundle carries no TorchSharp source", output);
        Assert.Contains("result: FAILED: no glue for torch 2.5.1+cu124", output);
    }

    [Fact]
    public void GpuRunOnACpuBuildOfPyTorch_FailsSayingSo()
    {
        Assert.True(bundle.BuildExitCode == 0, bundle.BuildOutput);

        var (exit, output) = bundle.RunKit("--torch", bundle.TorchFolder("2.10.0+cpu"));

        Assert.Equal(1, exit);
        Assert.Contains("this PyTorch is a CPU build (no lib/libtorch_cuda.so); --cpu-only runs the CPU trials alone", output);
    }

    [Fact]
    public void NoTorchFound_NamesTheWaysToGiveIt()
    {
        Assert.True(bundle.BuildExitCode == 0, bundle.BuildOutput);

        var (exit, output) = bundle.RunKit("--torch", Path.Combine(bundle.Home, "no-such-torch"));

        Assert.Equal(1, exit);
        Assert.Contains("no-such-torch: no such folder (--torch, SWEEPS_TORCH or python3's torch)", output);
    }

    [GeneratedRegex(@"bundle size: ([0-9.]+) MB \(([0-9]+) bytes")]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"^  cpu\s+(?<precision>fp32|bf16)  accuracy [0-9.]+  final loss [0-9.]+  keep (?<keep>[0-9.]+)  step (?<step>[0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex TrialLine();
}
