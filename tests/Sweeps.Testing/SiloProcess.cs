using System.Diagnostics;
using System.Text;

namespace Sweeps.Testing;

/// <summary>The silo executable (Sweeps.Silo.dll beside the tests) as a child process with a given environment, as a pod runs it.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SiloProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Sweeps.Silo.dll");

    public static SiloProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start(environment, start => start, arguments);

    /// <summary>Starts it through <paramref name="launch"/> (e.g. inside a network namespace).</summary>
    public static SiloProcess Start(IReadOnlyDictionary<string, string> environment, Func<ProcessStartInfo, ProcessStartInfo> launch, params string[] arguments) =>
        new(Process.Start(launch(StartInfo(environment, arguments))) ?? throw new InvalidOperationException("the silo did not start"));

    /// <summary>Runs the silo executable to its end (e.g. its `probe` verb); returns the exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var silo = Start(environment, arguments);
        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit ?? -1, silo.Output);
    }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    /// <summary>Waits for /readyz to answer 200 (joined, store reachable); throws with the silo's output if it never does.</summary>
    public async Task WaitUntilReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (HasExited || DateTime.UtcNow > deadline) throw new TimeoutException("the silo never became ready:\n" + Output);
            await Task.Delay(250);
        }
    }

    /// <summary>SIGTERM, as the kubelet sends when a pod terminates.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]);
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -TERM {process.Id} failed");
    }

    /// <summary>The exit code, or null if the process was still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Only what the manifest sets (plus what `dotnet` needs to run): nothing of the test host's configuration leaks in.
        foreach (var name in start.Environment.Keys.ToList())
            if (name.StartsWith("Sweeps", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("KUBERNETES_", StringComparison.Ordinal))
                start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
