using System.Diagnostics;

namespace Sweeps.Pruning.Tasks;

/// <summary>
/// The npm registry the user's own npm is configured with: <c>$npm_config_registry</c> (as npm itself reads it), else
/// what <c>npm config get registry</c> answers (which reads every .npmrc layer). The project names no registry itself.
/// </summary>
public static class NpmRegistry
{
    /// <summary>The registry's base URL, ending in a slash.</summary>
    /// <exception cref="InvalidOperationException">Neither is available; the message says what to set.</exception>
    public static string Resolve() =>
        Resolve(Environment.GetEnvironmentVariable("npm_config_registry") ?? Environment.GetEnvironmentVariable("NPM_CONFIG_REGISTRY"), AskNpm);

    /// <param name="configured">The registry set in the environment, if any.</param>
    /// <param name="askNpm">Asks npm for its configured registry; null where npm is missing or fails.</param>
    public static string Resolve(string? configured, Func<string?> askNpm)
    {
        if (string.IsNullOrWhiteSpace(configured)) configured = askNpm();
        if (string.IsNullOrWhiteSpace(configured) || !Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new InvalidOperationException(
                "no npm registry is configured: install npm (its configuration names the registry) or set npm_config_registry to your registry's URL" +
                (string.IsNullOrWhiteSpace(configured) ? "" : $" (got '{configured.Trim()}')"));
        return url.ToString().TrimEnd('/') + "/";
    }

    private static string? AskNpm()
    {
        try
        {
            var start = new ProcessStartInfo("npm", ["config", "get", "registry"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var npm = Process.Start(start);
            if (npm is null) return null;
            var output = npm.StandardOutput.ReadToEndAsync();
            _ = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                npm.Kill(entireProcessTree: true);
                return null;
            }
            return npm.ExitCode == 0 ? output.Result.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // npm is not installed
        }
    }
}
