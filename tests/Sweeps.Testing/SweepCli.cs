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

    /// <param name="environment">Variables set for this run besides the test process's own (e.g. a silo setting); an empty value unsets one.</param>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["COLUMNS"] = "200";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            if (value.Length > 0) start.Environment[name] = value;
            else start.Environment.Remove(name); // "" unsets it, e.g. COLUMNS to see what a pipe without it shows
        return start;
    }

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(arguments, environment))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A command that hangs must not outlive its test: its embedded silo would go on running beside the next ones.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sweep {string.Join(' ', arguments)} ran past 3 minutes and was killed; its output so far:\n{await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
    }
}
