using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Sweeps.Testing;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) on a free loopback port, scraping the given targets every
/// second, with its storage in a temporary folder; stopped and deleted on dispose.
/// </summary>
public sealed class PrometheusServer : IDisposable
{
    public const string Binary = "/usr/bin/prometheus";
    public const string Job = "sweeps-silos";
    private readonly TemporaryFolder folder = new();
    private readonly Process process;
    private readonly HttpClient http;

    public static bool Available => File.Exists(Binary);

    public PrometheusServer(IEnumerable<string> targets)
    {
        var port = FreePorts.Next();
        var config = folder.Write("prometheus.yml", $$"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {{Job}}
                metrics_path: /metrics
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]
            """);
        var start = new ProcessStartInfo(Binary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.Path, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    /// <summary>Runs an instant query through the HTTP API; returns the result array (empty when the query matched nothing).</summary>
    public async Task<JsonElement> QueryAsync(string expression)
    {
        var response = await http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(expression));
        var body = await response.Content.ReadAsStringAsync();
        // While its storage opens, Prometheus answers every path with a plain-text 503 "Service Unavailable".
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable && !body.TrimStart().StartsWith('{'))
            throw new HttpRequestException($"prometheus is not ready yet: {body.Trim()}", null, response.StatusCode);
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.GetProperty("status").GetString() != "success")
            throw new InvalidOperationException($"query '{expression}' failed: {body}");
        return root.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>
    /// Runs an instant query until it returns data or <paramref name="timeout"/> passes (then returns the empty result):
    /// a <c>rate()</c> needs two successful scrapes inside its window, which a busy target may not have given yet.
    /// </summary>
    public async Task<JsonElement> QueryUntilDataAsync(string expression, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await QueryAsync(expression);
            if (result.GetArrayLength() > 0 || DateTime.UtcNow > deadline) return result;
            await Task.Delay(500);
        }
    }

    /// <summary>Waits until every target has been scraped at least <paramref name="scrapes"/> times, successfully.</summary>
    public async Task WaitForScrapesAsync(int targets, int scrapes, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // up is 1 for a scrape that succeeded and 0 for one that failed (a busy target can time out).
                var result = await QueryAsync($"sum_over_time(up{{job=\"{Job}\"}}[5m]) >= {scrapes} and up{{job=\"{Job}\"}} == 1");
                if (result.GetArrayLength() >= targets) return;
            }
            catch (HttpRequestException)
            {
                // not listening or not ready yet
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"prometheus did not scrape {targets} target(s) {scrapes} times within {timeout}");
            await Task.Delay(250);
        }
    }

    /// <summary>The last scrape error of each target (empty strings when the scrapes parsed).</summary>
    public async Task<IReadOnlyList<string>> TargetErrorsAsync()
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("api/v1/targets"));
        return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t => t.GetProperty("lastError").GetString() ?? "").ToList();
    }

    public void Dispose()
    {
        http.Dispose();
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
        folder.Dispose();
    }
}
