using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Security;
using Sweeps.Hosting;
using Sweeps.Testing;

namespace Sweeps.Network.Tests;

/// <summary>
/// A cluster of separate hosts in a <see cref="NetworkLab"/>: Redis (TLS, password) on one, three silo processes on
/// three others (mutual TLS, one CPU slot each, the artefact folder shared as a volume would be), and a fifth for the
/// CLI. The silos take the settings a Kubernetes pod gets, apart from a shorter heartbeat timeout
/// (<see cref="HeartbeatTimeout"/>) and a checkpoint every 20 steps. The test process watches through its own link
/// with an Orleans client of its own, which finds the gateways in the membership table.
/// </summary>
public sealed class PartitionCluster : IAsyncDisposable
{
    /// <summary>The trials' heartbeat timeout in these scenarios (the default is 60 s): after it, a silent trial runs elsewhere.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Orleans' probe timeout here (default 5 s): a silo that stops answering is declared dead after about three missed probe cycles.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly TemporaryFolder work = new("sweeps-lab-");
    private readonly TinyBert tiny = new();
    private readonly TestCertificates certificates = new();
    private RedisServer? redis;
    private IHost? observer;

    private PartitionCluster(NetworkLab lab)
    {
        Lab = lab;
        Store = lab.AddHost("store");
        SiloHosts = [lab.AddHost("silo1"), lab.AddHost("silo2"), lab.AddHost("silo3")];
        Client = lab.AddHost("client");
        User = certificates.User("lab-user");
        Data = TinyTasks.WriteSst2Folder(work, repeats: 10);
        LongData = TinyTasks.WriteSst2Folder(work, "sst2-long", repeats: 100);
        File.Copy(Path.Combine(Data, "dev.tsv"), Path.Combine(LongData, "dev.tsv"), overwrite: true); // evaluations as cheap as on Data
    }

    public NetworkLab Lab { get; }

    public LabHost Store { get; }

    public LabHost[] SiloHosts { get; }

    public LabHost Client { get; }

    public List<LabSilo> Silos { get; } = [];

    public CertificateFiles User { get; }

    public string Data { get; }

    /// <summary>The same task with ten times the training rows: for trials longer than 1,000 epochs of <see cref="Data"/>.</summary>
    public string LongData { get; }

    public string Artifacts => Path.Combine(work.Path, "artifacts");

    public IGrainFactory Grains => observer!.Services.GetRequiredService<IGrainFactory>();

    public static async Task<PartitionCluster> StartAsync()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        var cluster = new PartitionCluster(NetworkLab.Create());
        try
        {
            cluster.redis = new RedisServer("lab-s3cret", cluster.certificates.Silo("redis"), cluster.Store.Address, start => NetworkLab.InHost(cluster.Store, start));
            foreach (var host in cluster.SiloHosts) cluster.Silos.Add(new LabSilo(host, () => cluster.StartSilo(host)));
            foreach (var host in cluster.SiloHosts) await WaitUntilReady(host);
            cluster.observer = await cluster.ConnectObserver();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A grid of <paramref name="seeds"/> SMP-S trials of about <paramref name="steps"/> steps each, on the tiny BERT:
    /// 5 steps an epoch on <see cref="Data"/>, 50 on <see cref="LongData"/> beyond the 1,000 epochs a grid allows.
    /// </summary>
    public string Grid(string name, int seeds, int steps)
    {
        var (data, stepsPerEpoch) = steps <= 5 * 1000 ? (Data, 5) : (LongData, 50);
        return work.Write($"{name}.yaml", TinyGrids.SmpS(name, tiny.Directory, data, Enumerable.Range(1, seeds), Math.Max(1, steps / stepsPerEpoch)));
    }

    /// <summary>`sweep submit` on the client host through the first silo's gateway; the sweep's id.</summary>
    public async Task<string> SubmitAsync(string grid)
    {
        var (exitCode, output) = await Cli(["submit", grid, "--gateway", $"{SiloHosts[0].Address}:30000", .. User.CliArguments]);
        Assert.True(exitCode == 0, output);
        return System.Text.RegularExpressions.Regex.Match(output, @"sweep (\S+-[0-9a-f]{8})").Groups[1].Value;
    }

    /// <summary>The `sweep` CLI started on the client host.</summary>
    public Process StartCli(IEnumerable<string> arguments) => Process.Start(NetworkLab.InHost(Client, SweepCli.StartInfo(arguments)))!;

    public async Task<(int ExitCode, string Output)> Cli(string[] arguments)
    {
        using var process = StartCli(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    public async Task<SweepStatus> StatusAsync(string sweepId) => (await Grains.GetGrain<ISweepGrain>(sweepId).GetStatus())!;

    /// <summary>Polls the sweep (through whichever gateway answers) until <paramref name="condition"/> holds.</summary>
    public async Task<SweepStatus> WaitFor(string sweepId, Func<SweepStatus, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        SweepStatus? last = null;
        while (true)
        {
            try
            {
                last = await StatusAsync(sweepId).WaitAsync(TimeSpan.FromSeconds(10));
                if (condition(last)) return last;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
            {
                // A gateway cut off mid-call: ask again.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {timeout}: " + string.Join("; ", last?.Trials.Select(Describe) ?? []) + "\n" + Logs());
            await Task.Delay(250);
        }
    }

    /// <summary>Busy slots as each reachable silo's /devices reports them, and as the capacity view counts them.</summary>
    public async Task<(int Leased, int Reserved)> BusySlots()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var leased = 0;
        foreach (var host in SiloHosts)
        {
            var devices = JsonDocument.Parse(await http.GetStringAsync($"http://{host.Address}:8080/devices"));
            leased += devices.RootElement.GetProperty("busy").GetInt32();
        }
        var reserved = (await Grains.GetGrain<ICapacityGrain>(0).GetUsage()).Sum(u => u.Busy);
        return (leased, reserved);
    }

    /// <summary>Waits until no slot is leased on any silo or reserved in the capacity view (releases follow the last report closely).</summary>
    public async Task NoSlotStaysLeased()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (true)
        {
            try
            {
                var busy = await BusySlots();
                if (busy is (0, 0)) return;
                last = $"{busy.Leased} leased, {busy.Reserved} reserved";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OrleansException or TimeoutException)
            {
                last = e.Message; // a silo restarting after it was declared dead is not listening yet
            }
            Assert.True(DateTime.UtcNow < deadline, $"slots still leased or reserved a minute after the sweep ended: {last}");
            await Task.Delay(250);
        }
    }

    /// <summary>How many result files the artefact store holds (one per finished trial, never two).</summary>
    public int ResultFiles => Directory.Exists(Path.Combine(Artifacts, "trials"))
        ? Directory.GetFiles(Path.Combine(Artifacts, "trials"), "result.json", SearchOption.AllDirectories).Length
        : 0;

    public LabSilo SiloOn(string? siloAddress) => Silos.Single(s => siloAddress?.Contains(s.Host.Address + ":", StringComparison.Ordinal) == true);

    public string Logs() => string.Join("\n", Silos.Select(s => $"=== {s.Host.Name} ({s.Restarts} restarts)\n{Tail(s.Output, 4000)}"));

    public static string Describe(TrialStatus t) =>
        $"{t.Spec.Id[..8]} {t.State} attempt {t.Attempts} on {t.Silo} step {t.Progress?.Step}/{t.Progress?.TotalSteps} resumed {t.Outcome?.ResumedFromStep} {t.Error}";

    /// <summary>Every silo's whole output, one file per host, for reading after a failure.</summary>
    public void SaveLogs(string scenario)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "partition-logs", scenario);
        Directory.CreateDirectory(folder);
        foreach (var silo in Silos) File.WriteAllText(Path.Combine(folder, silo.Host.Name + ".log"), silo.Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (observer is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await observer.StopAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            observer.Dispose();
        }
        foreach (var silo in Silos) await silo.DisposeAsync();
        redis?.Dispose();
        Lab.Dispose();
        certificates.Dispose();
        tiny.Dispose();
        work.Dispose();
    }

    private SiloProcess StartSilo(LabHost host)
    {
        var silo = certificates.Silo(host.Name);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080",
            ["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ",
            ["SWEEPS_CACHE"] = Path.Combine(work.Path, "cache-" + host.Name),
            ["Sweeps__Kubernetes"] = "false",
            ["Sweeps__Store__Kind"] = "redis",
            ["Sweeps__Store__Redis"] = redis!.ConnectionString,
            ["Sweeps__Store__AdvertisedAddress"] = host.Address,
            ["Sweeps__Store__SiloPort"] = "11111",
            ["Sweeps__Store__GatewayPort"] = "30000",
            ["Sweeps__Tls__Certificate"] = silo.Certificate,
            ["Sweeps__Tls__Key"] = silo.Key,
            ["Sweeps__Tls__CertificateAuthority"] = silo.Authority,
            ["Sweeps__ArtifactRoot"] = Artifacts,
            ["Sweeps__Pool"] = "cpu",
            ["Sweeps__CpuSlots"] = "1",
            // Three silos share two cores: one libtorch thread per trial worker, not each worker two.
            ["Sweeps__Worker__Threads"] = "1",
            ["Sweeps__CheckpointEverySteps"] = "20",
            ["Sweeps__HeartbeatTimeout"] = HeartbeatTimeout.ToString(),
            ["Sweeps__Membership__ProbeTimeout"] = ProbeTimeout.ToString(),
        };
        return SiloProcess.Start(environment, start => NetworkLab.InHost(host, start));
    }

    private static async Task WaitUntilReady(LabHost host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://{host.Address}:8080/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the silo on {host.Name} never became ready");
            await Task.Delay(500);
        }
    }

    private async Task<IHost> ConnectObserver()
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(User.Authority);
        var credentials = new ClusterCredentials(X509Certificate2.CreateFromPemFile(User.Certificate, User.Key), new ClusterTrust(authority));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("sweeps", "sweeps"));
            // Gateways from the membership table, as `sweep --cluster` finds them: a silo declared dead is dropped from it.
            client.UseRedisClustering(o => o.ConfigurationOptions = TlsConnections.RedisOptions(redis!.ConnectionString, credentials));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
            client.UseSweepsTls(credentials);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static string Tail(string text, int characters) => text.Length <= characters ? text : text[^characters..];
}
