using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// A silo runs a small sweep on the tiny BERT while a real Prometheus scrapes its /metrics; every query of every
/// panel of every dashboard in deploy/grafana must return data, and the exposition must parse cleanly.
/// </summary>
public sealed class MetricsAndDashboardsTests : IAsyncLifetime
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();
    private WebApplication silo = null!;
    private Uri address = null!;

    public async Task InitializeAsync()
    {
        silo = SiloHost.Build([
            "--urls", "http://127.0.0.1:0",
            "--Sweeps:Store:SqlitePath", Path.Combine(work.Path, "sweeps.db"),
            "--Sweeps:Store:SiloPort", "0",
            "--Sweeps:Store:GatewayPort", "0",
            "--Sweeps:ArtifactRoot", Path.Combine(work.Path, "artifacts"),
            "--Sweeps:Pool", "cpu",
            "--Sweeps:CpuSlots", "2",
            "--Sweeps:CheckpointEverySteps", "5",
            "--Sweeps:HeartbeatInterval", "00:00:00.5",
        ]);
        await silo.StartAsync();
        address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await silo.StopAsync();
        await silo.DisposeAsync();
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task EveryDashboardPanelQuery_ReturnsDataFromARealPrometheusScrapingASiloThatRunsASweep()
    {
        Assert.True(PrometheusServer.Available, $"{PrometheusServer.Binary} is missing (Debian package prometheus; scripts/test installs it)");
        var sweep = await StartSweepWithFinishedAndRunningTrials();
        using var prometheus = new PrometheusServer([$"{address.Host}:{address.Port}"]);
        await prometheus.WaitForScrapesAsync(targets: 1, scrapes: 3, TimeSpan.FromSeconds(60));

        var failures = new List<string>();
        foreach (var (dashboard, panel, expression) in DashboardQueries())
        {
            var result = await prometheus.QueryUntilDataAsync(expression, TimeSpan.FromSeconds(15));
            if (result.GetArrayLength() == 0) failures.Add($"{dashboard} / {panel}: {expression}");
        }
        var running = (await sweep.GetStatus())!.Count(TrialState.Running);
        await sweep.Cancel();

        Assert.Equal(1, running); // the long trial was still training while the queries ran
        Assert.True(failures.Count == 0, "queries without data:\n" + string.Join('\n', failures));
        Assert.All(await prometheus.TargetErrorsAsync(), Assert.Empty); // Prometheus' own parser took every scrape
    }

    [Fact]
    public async Task Exposition_HasNoDuplicateSeries_NoSeriesOfAFinishedTrial_AndPromtoolFindsNothingInOurFamilies()
    {
        var sweep = await StartSweepWithFinishedAndRunningTrials();
        var runningId = (await sweep.GetStatus())!.Trials.Single(t => t.State == TrialState.Running).Spec.Id;
        using var client = new HttpClient { BaseAddress = address };
        // The finished trials reach the gauges with the sweep's next state write (at most a second or so later): wait for both cells.
        var text = await ScrapeUntil(client, t => Series(t).Count(s => s.StartsWith("sweeps_cell_seeds{", StringComparison.Ordinal) && s.Contains("kind=\"finished\"")) == 2);

        var series = Series(text);
        Assert.Equal(series.Count, series.Distinct().Count());
        Assert.Contains(series, s => s.StartsWith("sweeps_trial_tokens_per_second{", StringComparison.Ordinal));
        // Each finished cell over its seeds (here one seed each: mean, min and max, no std), and its seed counts.
        Assert.Contains(series, s => s.StartsWith("sweeps_cell_metric{", StringComparison.Ordinal) && s.Contains("stat=\"mean\"") && s.Contains("method=\"dense\""));
        Assert.DoesNotContain(series, s => s.StartsWith("sweeps_cell_metric{", StringComparison.Ordinal) && s.Contains("stat=\"std\""));
        Assert.Contains(series, s => s.StartsWith("sweeps_cell_seeds{", StringComparison.Ordinal) && s.Contains("kind=\"collapsed\""));
        // Each cell's achieved keep fraction over its seeds, labelled like its metrics.
        Assert.Contains(series, s => s.StartsWith("sweeps_cell_keep_achieved{", StringComparison.Ordinal) && s.Contains("stat=\"mean\"") && s.Contains("method=\"smp-s\"") && s.Contains("keep=\"0.5\""));
        Assert.Contains(series, s => s.StartsWith("sweeps_cell_keep_achieved{", StringComparison.Ordinal) && s.Contains("stat=\"max\"") && s.Contains("method=\"dense\""));
        Assert.DoesNotContain(series, s => s.StartsWith("sweeps_cell_keep_achieved{", StringComparison.Ordinal) && s.Contains("stat=\"std\""));
        // A finished trial has no series of its own: no series names a seed, and the only trial named is the one training.
        Assert.DoesNotContain(series, s => s.StartsWith("sweeps_", StringComparison.Ordinal) && Label(s, "seed") is not null);
        Assert.Equal([runningId], series.Where(s => s.StartsWith("sweeps_", StringComparison.Ordinal)).Select(s => Label(s, "trial")).OfType<string>().Distinct());
        // Every family of ours is in docs/metrics.md's table, which lists no series of a finished trial either.
        var families = text.Split('\n').Where(l => l.StartsWith("# TYPE sweeps_", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        var documented = File.ReadAllText(Repository.PathOf("docs", "metrics.md"));
        Assert.All(families, f => Assert.Contains($"| `{f}` |", documented));
        Assert.DoesNotContain("sweeps_trial_metric", documented);
        Assert.DoesNotContain("sweeps_trial_keep_achieved", documented);

        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is missing (Debian package prometheus; scripts/test installs it)");
        var problems = await Promtool(text);
        var ours = problems.Where(p => p.StartsWith("sweeps_", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 0, "promtool check metrics:\n" + string.Join('\n', ours));

        // Once the sweep has ended (the long trial cancelled), no series names a trial; its cells stay.
        await sweep.Cancel();
        var ended = Series(await ScrapeUntil(client, t => !Series(t).Any(s => s.StartsWith("sweeps_", StringComparison.Ordinal) && Label(s, "trial") is not null)));
        Assert.True((await sweep.GetStatus())!.IsFinished);
        Assert.DoesNotContain(ended, s => s.StartsWith("sweeps_", StringComparison.Ordinal) && (Label(s, "trial") ?? Label(s, "seed")) is not null);
        Assert.Contains(ended, s => s.StartsWith("sweeps_cell_keep_achieved{", StringComparison.Ordinal) && s.Contains("method=\"smp-s\""));
        Assert.Contains(ended, s => s.StartsWith("sweeps_cell_metric{", StringComparison.Ordinal) && s.Contains("method=\"smp-s\""));
    }

    /// <summary>The silo's exposition once <paramref name="ready"/> holds for it (the last one read after 60 s).</summary>
    private static async Task<string> ScrapeUntil(HttpClient client, Func<string, bool> ready)
    {
        var text = await client.GetStringAsync("/metrics");
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60); !ready(text) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(200);
            text = await client.GetStringAsync("/metrics");
        }
        return text;
    }

    /// <summary>Each sample's series (name and labels) of an exposition.</summary>
    private static List<string> Series(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l[..l.LastIndexOf(' ')]).ToList();

    /// <summary>The value of label <paramref name="name"/> of a series, or null when it has none.</summary>
    private static string? Label(string series, string name) =>
        Regex.Match(series, $"[{{,]{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>A dense teacher and a distilled student that finish, and a long trial that keeps training.</summary>
    private async Task<ISweepGrain> StartSweepWithFinishedAndRunningTrials()
    {
        var data = TinyTasks.WriteSst2Folder(work);
        var quick = new TrainingSpec(2, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var teacher = new TrialSpec("sst2", data, tiny.Directory, "dense", 1, "linear", null, 1, quick, "cpu");
        var student = teacher with { Method = "smp-s", Keep = 0.5, Distillation = new DistillationSpec(teacher.Id, null, 2, 0.5, 0.5) };
        // 1,000 epochs (the most a trial may ask for) of 200 steps each: it trains for as long as the test looks.
        var longData = TinyTasks.WriteSst2Folder(work, name: "sst2-long", repeats: 400);
        var slow = teacher with { Data = longData, Method = "smp-l", Keep = 0.3, Seed = 2, Training = quick with { Epochs = 1000 } };
        var spec = new SweepSpec("metrics", "test", "", [slow, teacher, student], new ResourceSpec("cpu", 1), 0, 0);
        var sweep = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepGrain>(SweepIds.Of(spec));
        await sweep.Submit(spec);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var status = (await sweep.GetStatus())!;
            if (status.Count(TrialState.Done) == 2 && status.Trials[0].Progress is { Phase: TrialPhase.Training, Step: > 5 }) return sweep;
            Assert.True(DateTime.UtcNow < deadline, "the sweep did not reach 2 finished trials and 1 training trial in 90 s");
            await Task.Delay(200);
        }
    }

    /// <summary>Every Prometheus expression of every panel, with the dashboards' variables set to match everything.</summary>
    private static IEnumerable<(string Dashboard, string Panel, string Expression)> DashboardQueries()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "dashboards");
        var files = Directory.GetFiles(folder, "*.json");
        Assert.True(files.Length >= 4, $"expected the dashboards in {folder}");
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var title = document.RootElement.GetProperty("title").GetString()!;
            foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expression = Regex.Replace(target.GetProperty("expr").GetString()!, @"\$(sweep|metric)\b", ".*");
                yield return (title, panel.GetProperty("title").GetString()!, expression);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> Promtool(string exposition)
    {
        var start = new ProcessStartInfo("/usr/bin/promtool", "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
