using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Testing;

namespace Sweeps.Web.Tests;

/// <summary>The pages as a person meets them: in a real browser, against a real silo that ran a tiny sweep.</summary>
public sealed class SweepPagesTests(PagesCluster cluster) : IClassFixture<PagesCluster>
{
    [Fact]
    public async Task SweepList_ShowsTheSweepWithItsProgress_AndLinksToIt()
    {
        var (page, errors) = await cluster.OpenAsync("/sweeps");

        var row = page.Locator("table.sweeps tr", new PageLocatorOptions { HasText = cluster.SweepId });
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("4/4", await row.InnerTextAsync()); // every trial final: two done, two failed
        await Screenshot(page, "sweeps");
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = cluster.SweepId }).ClickAsync();
        await page.WaitForURLAsync($"**/sweeps/{cluster.SweepId}");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepPage_TableCellsEqualSweepResultsJson_AndThePlotLoads()
    {
        var (exitCode, json) = await SweepCli.RunAsync("results", cluster.SweepId, "--format", "json", "--cluster", cluster.ClusterOption);
        Assert.True(exitCode == 0, json);
        var expected = JsonDocument.Parse(json).RootElement.GetProperty("cells").EnumerateArray().Select(c =>
        {
            var metrics = c.GetProperty("metrics");
            var primary = metrics.EnumerateObject().First().Value;
            return (Task: c.GetProperty("task").GetString(), Method: c.GetProperty("method").GetString(), Distilled: c.GetProperty("distillation").GetString() == "teacher",
                Keep: c.GetProperty("keep").GetDouble(), N: c.GetProperty("n").GetInt32(), Mean: primary.GetProperty("mean").GetDouble());
        }).OrderBy(c => c.Method).ToList();

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{cluster.SweepId}");
        var cells = new List<(string?, string?, bool, double, int, double)>();
        foreach (var cell in await page.Locator("table.results td[data-mean]").AllAsync())
        {
            cells.Add((await cell.GetAttributeAsync("data-task"), await cell.GetAttributeAsync("data-method"), await cell.GetAttributeAsync("data-distilled") == "true",
                double.Parse((await cell.GetAttributeAsync("data-keep"))!, CultureInfo.InvariantCulture), int.Parse((await cell.GetAttributeAsync("data-n"))!, CultureInfo.InvariantCulture),
                double.Parse((await cell.GetAttributeAsync("data-mean"))!, CultureInfo.InvariantCulture)));
            // What a reader sees is the same number: the mean to four places, then n.
            var mean = double.Parse((await cell.GetAttributeAsync("data-mean"))!, CultureInfo.InvariantCulture);
            Assert.StartsWith(mean.ToString("F4", CultureInfo.InvariantCulture), await cell.InnerTextAsync());
        }
        Assert.Equal(expected, cells.OrderBy(c => c.Item2).ToList());
        Assert.Single(expected); // smp-s at 50% over two seeds; the dense trials failed
        Assert.Equal(2, expected[0].N);

        var plot = page.Locator("#plot img.plot");
        await plot.WaitForAsync();
        Assert.True(await plot.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the plot did not load");
        await Screenshot(page, "sweep");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepPage_TwoKeepFractions_ShowTheFrontOfAccuracyAgainstSizeAsSweepResultsPareto_AndItsPlotLoads()
    {
        var grid = Path.Combine(cluster.Work, "pareto.yaml");
        await File.WriteAllTextAsync(grid, TinyGrids.SmpS("pareto", cluster.Model, "sst2", [1], epochs: 4).Replace("keep: [0.5]", "keep: [0.5, 0.2]"));
        var (submitted, output) = await SweepCli.RunAsync("submit", grid, "--watch", "--cluster", cluster.ClusterOption);
        Assert.True(submitted == 0, output);
        var sweepId = PagesCluster.SweepIdIn().Match(output).Groups[1].Value;
        var (exitCode, json) = await SweepCli.RunAsync("results", sweepId, "--pareto", "--format", "json", "--cluster", cluster.ClusterOption);
        Assert.True(exitCode == 0, json);
        var expected = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{sweepId}");

        var front = page.Locator("#pareto table.pareto");
        Assert.Contains($"hypervolume {expected.GetProperty("hypervolume").GetDouble().ToString("F4", CultureInfo.InvariantCulture)}", await front.InnerTextAsync());
        Assert.Equal(expected.GetProperty("front").GetArrayLength(), await front.Locator("tbody tr").CountAsync());
        var plot = page.Locator("#pareto img.plot");
        Assert.True(await plot.EvaluateAsync<bool>("img => img.decode().then(() => img.naturalWidth > 0)"), "the Pareto plot did not load");
        await plot.ScrollIntoViewIfNeededAsync();
        await Screenshot(page, "sweep-pareto");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepPage_ATpeSearch_ShowsItsAnalysis_WhoseFigureLoads()
    {
        var grid = Path.Combine(cluster.Work, "tpe.yaml");
        // Long enough on the tiny task for some configurations to leave the majority class, so the settings matter.
        await File.WriteAllTextAsync(grid, TinyGrids.SmpS("tpe", cluster.Model, "sst2", [1], epochs: 4)
            .Replace("training:\n", "search: {method: tpe, samples: 5, seed: 1, startup: 3}\ntraining:\n  score_lr: {log_uniform: [1e-3, 1e-1]}\n  head_lr: {log_uniform: [1e-3, 1e-1]}\n"));
        var (submitted, output) = await SweepCli.RunAsync("submit", grid, "--watch", "--cluster", cluster.ClusterOption);
        Assert.True(submitted == 0, output);
        var sweepId = PagesCluster.SweepIdIn().Match(output).Groups[1].Value;

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{sweepId}");

        Assert.Equal("Searched settings — sst2: head_lr, score_lr.", await page.Locator("#search p.searched").InnerTextAsync());
        var (resulted, json) = await SweepCli.RunAsync("results", sweepId, "--format", "json", "--cluster", cluster.ClusterOption);
        Assert.True(resulted == 0, json);
        var accuracies = JsonDocument.Parse(json).RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => c.GetProperty("metrics").GetProperty("accuracy").GetProperty("mean").GetDouble()).ToList();
        var shares = await page.Locator("#search table.importance [data-share]").AllAsync();
        if (accuracies.Distinct().Count() > 1)
        {
            // Two settings' shares of the variance, the larger first, summing to one.
            var values = new List<double>();
            foreach (var share in shares) values.Add(double.Parse((await share.GetAttributeAsync("data-share"))!, CultureInfo.InvariantCulture));
            Assert.Equal(2, values.Count);
            Assert.Equal(values.OrderDescending(), values);
            Assert.Equal(1, values.Sum(), 6);
        }
        else Assert.Empty(shares); // a metric every configuration shares has no variance to share out
        var figure = page.Locator("#search img.plot");
        Assert.True(await figure.EvaluateAsync<bool>("img => img.decode().then(() => img.naturalWidth > 0)"), "the search's figure did not load");
        var svg = await page.EvaluateAsync<string>("src => fetch(src).then(r => r.text())", await figure.GetAttributeAsync("src"));
        Assert.Contains("sst2: 5 configurations across their settings", svg);
        Assert.Contains("in the order they finished, and the best so far", svg);
        await figure.ScrollIntoViewIfNeededAsync();
        await Screenshot(page, "sweep-search");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepPage_AFailedTrial_ShowsWhyItFailed_OneClickFromItsPage()
    {
        var status = await cluster.StatusAsync(cluster.SweepId);
        var failed = status.Trials.First(t => t.State == TrialState.Failed);

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{cluster.SweepId}");
        var row = page.Locator("table.failed tr", new PageLocatorOptions { HasText = failed.Spec.Id });
        Assert.Equal(failed.Error, await row.Locator(".reason").InnerTextAsync());
        Assert.Contains("the loss became", failed.Error);
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = failed.Spec.Id }).ClickAsync();
        await page.WaitForURLAsync($"**/trials/{failed.Spec.Id}");
        Assert.Contains(failed.Error!, await page.Locator("#history").InnerTextAsync()); // the attempt's ending
        await Screenshot(page, "trial-failed");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TrialPage_ShowsMetricsCurvesAttemptsArtefactsAndSettings()
    {
        var status = await cluster.StatusAsync(cluster.SweepId);
        var trial = status.Trials.First(t => t.State == TrialState.Done);

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{cluster.SweepId}/trials/{trial.Spec.Id}");

        Assert.Contains(trial.Outcome!.Metrics[0].Value.ToString("F4", CultureInfo.InvariantCulture), await page.Locator("#metrics").InnerTextAsync());
        Assert.Contains("1 bit per masked weight", await page.Locator("#metrics").InnerTextAsync());
        var curves = page.Locator("#curves img.plot");
        Assert.True(await curves.EvaluateAsync<bool>("img => img.decode().then(() => img.naturalWidth > 0)"), "the curves did not load");
        using (var http = new HttpClient { BaseAddress = cluster.Address })
            Assert.Contains("mask churn", await http.GetStringAsync(await curves.GetAttributeAsync("src"))); // beside the dev metrics it explains
        var attempt = await page.Locator("#history tbody tr").InnerTextAsync();
        Assert.Contains(trial.Silo!, attempt);
        Assert.Contains("done", attempt);
        var files = await page.Locator("#files").InnerTextAsync();
        Assert.Contains("artifact.safetensors", files);
        Assert.Contains("result.json", files);
        Assert.Contains("smp-s", await page.Locator("#settings").InnerTextAsync());
        await Screenshot(page, "trial");
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("sweeps")]
    [InlineData("sweep")]
    [InlineData("trial")]
    public async Task EveryPage_AtAPhonesWidth_HasNoSidewaysScrollingPage(string which)
    {
        var status = await cluster.StatusAsync(cluster.SweepId);
        var path = which switch
        {
            "sweeps" => "/sweeps",
            "sweep" => $"/sweeps/{cluster.SweepId}",
            _ => $"/sweeps/{cluster.SweepId}/trials/{status.Trials.First(t => t.State == TrialState.Done).Spec.Id}",
        };

        var (page, errors) = await cluster.OpenAsync(path, phone: true);

        // Wide tables scroll inside their own box; the page itself fits the screen.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"{path} is wider than a phone's screen: {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px");
        await Screenshot(page, which + "-phone", fullPage: false);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SweepPage_ARunningTrial_UpdatesLiveWithoutAReload()
    {
        // A trial that runs for many minutes (the test cancels it): a worker trains the tiny BERT at about 200 steps a
        // second, so the 3 steps an epoch of the shared data would end before the page had seen it move.
        var data = Directory.CreateDirectory(Path.Combine(cluster.Work, "sst2-long")).FullName;
        var rows = await File.ReadAllLinesAsync(Path.Combine(cluster.Work, "sst2", "train.tsv"));
        await File.WriteAllLinesAsync(Path.Combine(data, "train.tsv"), [rows[0], .. Enumerable.Repeat(rows[1..], 50).SelectMany(r => r)]);
        File.Copy(Path.Combine(cluster.Work, "sst2", "dev.tsv"), Path.Combine(data, "dev.tsv"), overwrite: true);
        var sweepId = await cluster.SubmitLongSweepAsync("live", "sst2-long", seeds: [1]);
        try
        {
            var (page, errors) = await cluster.OpenAsync($"/sweeps/{sweepId}");
            await page.EvaluateAsync("() => window.notReloaded = true");
            var step = page.Locator("#running .step");
            await step.WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            var first = await step.InnerTextAsync();

            await page.WaitForFunctionAsync("before => { const s = document.querySelector('#running .step'); return s && s.textContent !== before; }", first,
                new PageWaitForFunctionOptions { Timeout = 60_000 });

            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
            Assert.NotEqual(first, await step.InnerTextAsync());
            await Screenshot(page, "sweep-running");
            var trial = (await cluster.StatusAsync(sweepId)).Trials[0].Spec.Id;
            var (trialPage, trialErrors) = await cluster.OpenAsync($"/sweeps/{sweepId}/trials/{trial}");
            Assert.Contains("running", await trialPage.Locator("#history").InnerTextAsync());
            await trialPage.Locator("#curves img.plot").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await Screenshot(trialPage, "trial-running");
            Assert.Empty(errors);
            Assert.Empty(trialErrors);
        }
        finally
        {
            await SweepCli.RunAsync("cancel", sweepId, "--cluster", cluster.ClusterOption);
        }
    }

    [Fact]
    public async Task SweepPage_ListsEveryTrialAPageAtATime_AndItsLiveUpdatesKeepThePageShown()
    {
        var sweepId = await cluster.SubmitLongSweepAsync("many", "sst2", [.. Enumerable.Range(1, SweepView.PageSize + 1)]);
        await SweepCli.RunAsync("cancel", sweepId, "--cluster", cluster.ClusterOption);
        var ids = (await cluster.StatusAsync(sweepId)).Trials.Select(t => t.Spec.Id).ToList();

        var (page, errors) = await cluster.OpenAsync($"/sweeps/{sweepId}");
        var rows = page.Locator("table.trials tbody tr");
        Assert.Equal(SweepView.PageSize, await rows.CountAsync());
        Assert.Contains(ids[0], await rows.First.InnerTextAsync());
        Assert.Contains("trials 1–100 of 101 (page 1 of 2)", await page.Locator("#trials nav.pager").First.InnerTextAsync());

        await page.Locator("#trials a[rel=next]").First.ClickAsync();
        await page.WaitForURLAsync($"**/sweeps/{sweepId}?page=2");
        await page.WaitForSelectorAsync("#live-state.ok");
        // The first live update sends every section: it must be this page's, not the first page's.
        await page.WaitForFunctionAsync("() => Number(document.body.dataset.updates) >= 1");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains(ids[^1], await rows.InnerTextAsync());
        Assert.Contains("trials 101–101 of 101 (page 2 of 2)", await page.Locator("#trials nav.pager").First.InnerTextAsync());
        await Screenshot(page, "sweep-page-2");

        await page.Locator("#trials a[rel=prev]").First.ClickAsync();
        await page.WaitForURLAsync($"**/sweeps/{sweepId}?page=1");
        Assert.Equal(SweepView.PageSize, await rows.CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Pages_AreReadOnly_AnythingButGetAndHeadIsRefused()
    {
        using var http = new HttpClient { BaseAddress = cluster.Address };
        foreach (var path in new[] { "/sweeps", $"/sweeps/{cluster.SweepId}", $"/sweeps/{cluster.SweepId}/plot.svg" })
        {
            Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, (await http.PostAsync(path, null)).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        }
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/sweeps/no-such-sweep")).StatusCode);
    }

    [Fact]
    public async Task SweepAndTrialPages_OfferTheExportAsADownload_AZipOfTheHuggingFaceFolderOrTheOnnxGraph()
    {
        var status = await cluster.StatusAsync(cluster.SweepId);
        var trial = status.Trials.First(t => t.State == TrialState.Done);
        var href = $"/sweeps/{cluster.SweepId}/trials/{trial.Spec.Id}";
        using var http = new HttpClient { BaseAddress = cluster.Address };

        Assert.Contains($"{href}/export/onnx.zip", await http.GetStringAsync($"/sweeps/{cluster.SweepId}"));
        var page = await http.GetStringAsync(href);
        Assert.Contains($"{href}/export/hf.zip", page);
        Assert.Contains($"{href}/export/onnx.zip", page);
        foreach (var (format, file) in new[] { ("hf", "model.safetensors"), ("onnx", "model.onnx") })
        {
            using var response = await http.GetAsync($"{href}/export/{format}.zip");
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            using var zip = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
            var names = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains($"{trial.Spec.Id}/{file}", names);
            Assert.Contains($"{trial.Spec.Id}/README.md", names);
        }
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"{href}/export/tflite.zip")).StatusCode);
    }

    private static Task Screenshot(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PagesCluster.Screenshots, name + ".png"), FullPage = fullPage });
}
