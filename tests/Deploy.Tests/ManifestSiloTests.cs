using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography.X509Certificates;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Security;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Silo;
using Sweeps.Testing;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The cpu overlay's silo environment, resolved as Kubernetes would for a pod on loopback, starts the real silo executable,
/// which joins a Redis-backed cluster beside an in-process silo, over TLS to a TLS Redis and to its peer; a client with
/// a user's certificate reaches it through its gateway; SIGTERM makes it hand its running trial back, and the other silo
/// finishes that trial from its checkpoint.
/// </summary>
public sealed class ManifestSiloTests : IDisposable
{
    private readonly TinyBert tiny = new();
    private readonly TemporaryFolder work = new();

    public void Dispose()
    {
        tiny.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task ManifestEnvironment_StartsASiloThatJoinsTheRedisCluster_AndHandsItsTrialBackOnSigterm()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        Assert.True(RenderedManifests.RendererAvailable, "neither kustomize nor kubectl is on the PATH (scripts/test installs kustomize)");
        using var certificates = new TestCertificates();
        using var redis = new RedisServer("Sw33ps-store-s3cret", certificates.Silo("redis"));
        var artifacts = Path.Combine(work.Path, "artifacts");
        var pod = certificates.Silo("sweeps-silo-0");

        // The in-cluster values that cannot hold on one machine: the store's address, free ports instead of the pod's own,
        // local folders for the volumes, and no API server to talk to.
        var environment = ManifestEnvironment.Of(RenderedManifests.Render("cpu"), podName: "sweeps-silo-0", podIp: "127.0.0.1");
        var http = FreePorts.Next();
        var gateway = FreePorts.Next();
        var siloPort = FreePorts.Next();
        Override(environment, "Sweeps__Store__Redis", redis.ConnectionString);
        Override(environment, "ASPNETCORE_HTTP_PORTS", http.ToString());
        Override(environment, "Sweeps__Store__SiloPort", siloPort.ToString());
        Override(environment, "Sweeps__Store__GatewayPort", gateway.ToString());
        Override(environment, "Sweeps__ArtifactRoot", artifacts);
        Override(environment, "SWEEPS_CACHE", Path.Combine(work.Path, "cache"));
        Override(environment, "Sweeps__Kubernetes", "false");
        Override(environment, "Sweeps__InputRoots", $"{work.Path},{tiny.Directory}");
        // The TLS Secret's files, where the test made them instead of /etc/sweeps/tls.
        Override(environment, "Sweeps__Tls__Certificate", pod.Certificate);
        Override(environment, "Sweeps__Tls__Key", pod.Key);
        Override(environment, "Sweeps__Tls__CertificateAuthority", pod.Authority);

        await using var peer = await StartPeerSilo(redis, artifacts);
        using var silo = SiloProcess.Start(environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        await silo.WaitUntilReadyAsync(client);

        // Joined: the cluster has two active silos, and this one serves the overlay's pool.
        var hosts = await Grains(peer).GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(2, hosts.Count);
        Assert.Contains(hosts.Keys, h => h.Endpoint.Port == siloPort);
        Assert.Contains("\"pool\":\"cpu\"", await client.GetStringAsync("/devices"));
        // The image's health check: the probe verb against this silo, and against a port where nothing listens.
        Assert.Equal(0, (await SiloProcess.RunAsync(environment, "probe")).ExitCode);
        Assert.Equal(0, (await SiloProcess.RunAsync(environment, "probe", "/readyz")).ExitCode);
        Assert.Equal(1, (await SiloProcess.RunAsync(new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = FreePorts.Next().ToString() }, "probe")).ExitCode);

        // Three trials on three slots (two on the peer, one here), long enough to be stopped midway.
        var data = TinyTasks.WriteSst2Folder(work, repeats: 20);
        var training = new TrainingSpec(60, 8, 16, null, null, 1e-2, 1e-2, 1e-3, 0, null, 0.5);
        var trials = Enumerable.Range(1, 3).Select(seed => new TrialSpec("sst2", data, tiny.Directory, "smp-s", 0.5, "linear", null, seed, training, "cpu")).ToList();
        var spec = new SweepSpec("manifest", "test", "", trials, new ResourceSpec("cpu", 1), 0, 2);
        var sweepId = SweepIds.Of(spec);
        var submitter = certificates.User("submitter");
        using var user = X509Certificate2.CreateFromPemFile(submitter.Certificate, submitter.Key);
        await Grains(peer).GetGrain<ISweepGrain>(sweepId).Submit(spec, CallerProof.Sign(user, CallerProof.Actions.Submit(sweepId), DateTimeOffset.UtcNow));

        // A client through this silo's gateway alone, as `kubectl port-forward svc/sweeps-gateway` gives a workstation.
        var (listed, list) = await SweepCli.RunAsync(["list", "--gateway", $"127.0.0.1:{gateway}", .. certificates.User("workstation").CliArguments]);
        Assert.True(listed == 0, list);
        Assert.Contains(sweepId, list);

        var here = await WaitFor(peer, sweepId, s => s.Trials.Any(t => OnThisSilo(t, siloPort) && t.State == TrialState.Running && t.Progress?.Step >= 10));
        var handedBack = here.Trials.Single(t => OnThisSilo(t, siloPort)).Spec.Id;
        silo.Terminate();
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, "the silo did not exit cleanly after SIGTERM:\n" + silo.Output);

        // The peer's stall check would wait 10 minutes; finishing well before means the trial was handed back.
        var finished = await WaitFor(peer, sweepId, s => s.IsFinished);
        Assert.Equal(3, finished.Count(TrialState.Done));
        var resumed = finished.Trials.Single(t => t.Spec.Id == handedBack);
        Assert.True(resumed.Attempts >= 2, $"attempts {resumed.Attempts}"); // a start refused by the stopping silo counts too
        Assert.True(resumed.Outcome!.ResumedFromStep >= 10, $"resumed from step {resumed.Outcome.ResumedFromStep}");
        Assert.Equal(3, Directory.GetFiles(Path.Combine(artifacts, "trials"), "result.json", SearchOption.AllDirectories).Length);
    }

    private static void Override(Dictionary<string, string> environment, string name, string value)
    {
        Assert.True(environment.ContainsKey(name), $"the manifest no longer sets {name}");
        environment[name] = value;
    }

    private static bool OnThisSilo(TrialStatus trial, int siloPort) => trial.Silo?.Contains($":{siloPort}:", StringComparison.Ordinal) == true;

    private static async Task<WebApplication> StartPeerSilo(RedisServer redis, string artifacts)
    {
        var peer = SiloHost.Build(RedisSiloArguments.For(redis, artifacts, cpuSlots: 2, // TLS with the Redis server's files: one authority

            "--Sweeps:HeartbeatTimeout", "00:10:00",
            "--Sweeps:SweepCheckInterval", "00:00:00.5",
            "--Sweeps:CapacityReportInterval", "00:00:00.5"));
        await peer.StartAsync();
        return peer;
    }

    private static string Describe(TrialStatus t) => $"{t.Spec.Id[..8]} {t.State} attempt {t.Attempts} on {t.Silo} step {t.Progress?.Step}/{t.Progress?.TotalSteps} {t.Error}";

    private static IGrainFactory Grains(WebApplication silo) => silo.Services.GetRequiredService<IGrainFactory>();

    private static async Task<SweepStatus> WaitFor(WebApplication silo, string sweepId, Func<SweepStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var status = await Grains(silo).GetGrain<ISweepGrain>(sweepId).GetStatus();
            if (status is not null && condition(status)) return status;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the sweep did not get there in 3 minutes: " + string.Join("; ", status?.Trials.Select(Describe) ?? []));
            await Task.Delay(100);
        }
    }
}
