using System.Diagnostics;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The GPU smoke kit built once by its own build script (deploy/gpu-smoke/build.sh) and unpacked, with a libtorch
/// folder laid out as PyTorch's wheel lays out site-packages/torch (lib/ and version.py), its libraries TorchSharp-cpu's
/// libtorch 2.10.0 from this test's output folder.
/// </summary>
public sealed class GpuSmokeBundle : IDisposable
{
    private readonly TemporaryFolder work = new("sweeps-gpu-smoke-test-");

    public GpuSmokeBundle()
    {
        (BuildExitCode, BuildOutput) = Run(Repository.PathOf("deploy", "gpu-smoke", "build.sh"), ["--output", work.Path], inherit: true, TimeSpan.FromMinutes(15));
        Archive = Path.Combine(work.Path, "sweeps-gpu-smoke-linux-x64.tar.xz");
        if (BuildExitCode != 0) return;
        var unpacked = Directory.CreateDirectory(Path.Combine(work.Path, "unpacked")).FullName;
        var (tar, tarOutput) = Run("tar", ["-xJf", Archive, "-C", unpacked], inherit: true, TimeSpan.FromMinutes(2));
        if (tar != 0) throw new InvalidOperationException("tar: " + tarOutput);
        Kit = Path.Combine(unpacked, "sweeps-gpu-smoke");
        Home = Directory.CreateDirectory(Path.Combine(work.Path, "home")).FullName;
    }

    public int BuildExitCode { get; }
    public string BuildOutput { get; }
    public string Archive { get; }
    public string Kit { get; } = "";
    public string Home { get; } = "";

    /// <summary>A wheel-layout torch folder saying it is <paramref name="version"/>, its lib/ linked to TorchSharp-cpu's libtorch.</summary>
    public string TorchFolder(string version)
    {
        var torch = Path.Combine(work.Path, "site-packages-" + version, "torch");
        var lib = Directory.CreateDirectory(Path.Combine(torch, "lib")).FullName;
        var natives = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        foreach (var file in Directory.GetFiles(natives, "lib*.so*").Where(f => !Path.GetFileName(f).StartsWith("libLibTorchSharp")))
        {
            var link = Path.Combine(lib, Path.GetFileName(file));
            if (!File.Exists(link)) File.CreateSymbolicLink(link, file);
        }
        File.WriteAllText(Path.Combine(torch, "version.py"), $"__version__ = '{version}'\ncuda = None\n");
        return torch;
    }

    /// <summary>Runs the kit's ./run as on a machine without the .NET SDK: a bare PATH, no DOTNET_* variables, a fresh HOME.</summary>
    public (int ExitCode, string Output) RunKit(params string[] arguments) =>
        Run(Path.Combine(Kit, "run"), arguments, inherit: false, TimeSpan.FromMinutes(10), workingFolder: Home);

    private (int, string) Run(string file, IReadOnlyList<string> arguments, bool inherit, TimeSpan timeout, string? workingFolder = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingFolder ?? work.Path };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (!inherit)
        {
            start.Environment.Clear();
            start.Environment["PATH"] = "/usr/bin:/bin";
            start.Environment["HOME"] = Home;
            start.Environment["TMPDIR"] = Path.GetTempPath();
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} ran past {timeout}");
        }
        return (process.ExitCode, output.Result + errors.Result);
    }

    public void Dispose() => work.Dispose();
}
