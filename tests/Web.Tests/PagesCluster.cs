using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Silo;
using Sweeps.Testing;

namespace Sweeps.Web.Tests;

/// <summary>
/// A real silo on a test Redis, serving its pages, with a tiny sweep submitted through the `sweep` CLI and run to its
/// end: SMP-S at 50% over two seeds, and a dense trial that diverges and fails. Debian's chromium, headless, through
/// Playwright (no browser is downloaded). Screenshots go to TestResults/screenshots/.
/// </summary>
public sealed partial class PagesCluster : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly string Screenshots = Repository.PathOf("TestResults", "screenshots");

    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();
    private RedisServer redis = null!;
    private WebApplication silo = null!;
    private IPlaywright playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public IGrainFactory Grains => silo.Services.GetRequiredService<IGrainFactory>();

    public string SweepId { get; private set; } = "";

    public string ClusterOption => redis.ConnectionString;

    public string Work => work.Path;

    public string Model => tiny.Directory;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/test installs Debian's chromium");
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        Directory.CreateDirectory(Screenshots);
        redis = new RedisServer();
        TinyTasks.WriteSst2Folder(work);
        silo = SiloHost.Build(RedisSiloArguments.For(redis, Path.Combine(work.Path, "artifacts"), cpuSlots: 2));
        await silo.StartAsync();
        Address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var grid = work.Write("grid.yaml", $$"""
            name: pages
            model: {{tiny.Directory}}
            tasks:
              - name: sst2
                data: sst2
            methods: [dense, smp-s]
            keep: [0.5]
            seeds: [1, 2]
            retry_limit: 0
            training:
              epochs: 2
              batch_size: 8
              max_length: 16
              head_lr: 1e-2
            overrides:
              - when: {method: dense}
                training: {head_lr: 1e6, weight_lr: 1e6}
            resources:
              pool: cpu
            """);
        var (exitCode, output) = await SweepCli.RunAsync("submit", grid, "--watch", "--cluster", redis.ConnectionString);
        SweepId = SweepIdIn().Match(output).Groups[1].Value;
        // Exit code 1: the diverging dense trials failed, as they are meant to.
        Assert.True(exitCode == 1 && SweepId.Length > 0, output);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (silo is not null)
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
        redis?.Dispose();
        tiny.Dispose();
        work.Dispose();
    }

    /// <summary>A browser page at a laptop's width (or a phone's) whose console errors and uncaught exceptions are collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> OpenAsync(string path, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        var response = await page.GotoAsync(new Uri(Address, path).ToString());
        Assert.True(response?.Ok == true, $"{path}: {response?.Status}");
        await page.WaitForSelectorAsync("#live-state.ok"); // the live stream is connected
        return (page, errors);
    }

    /// <summary>
    /// Submits (through the CLI) a sweep of SMP-S trials at 50% on the data folder <paramref name="data"/>, one per seed,
    /// that each train for many minutes: the test cancels it. Answers its id.
    /// </summary>
    public async Task<string> SubmitLongSweepAsync(string name, string data, IReadOnlyList<int> seeds)
    {
        var grid = work.Write($"{name}.yaml", TinyGrids.SmpS(name, tiny.Directory, data, seeds, epochs: 400));
        var (submitted, output) = await SweepCli.RunAsync("submit", grid, "--cluster", redis.ConnectionString);
        Assert.True(submitted == 0, output);
        return SweepIdIn().Match(output).Groups[1].Value;
    }

    public async Task<SweepStatus> StatusAsync(string sweepId) => (await Grains.GetGrain<ISweepGrain>(sweepId).GetStatus())!;

    [GeneratedRegex(@"sweep (\S+-[0-9a-f]{8})")]
    public static partial Regex SweepIdIn();
}
