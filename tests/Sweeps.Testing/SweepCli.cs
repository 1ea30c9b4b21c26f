using System.Diagnostics;

namespace Sweeps.Testing;

/// <summary>
/// The `sweep` executable from its own build output (src/SweepClient/bin/&lt;configuration&gt;/&lt;framework&gt;), for test
/// projects whose output folder holds another application's dependencies.
/// </summary>
public static class SweepCli
{
    public static string Dll
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')); // tests/<project>/bin/<configuration>/<framework>
            return Repository.PathOf("src", "SweepClient", "bin", output.Parent!.Name, output.Name, "sweep.dll");
        }
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["COLUMNS"] = "200";
        return start;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
