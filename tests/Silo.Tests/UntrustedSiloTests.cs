using Microsoft.Extensions.DependencyInjection;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// A silo whose certificate is not from the cluster's authority cannot join. This Redis has no TLS, so the stranger
/// reaches the membership table and writes itself in (the overlays' TLS Redis refuses it there first, see
/// <see cref="TlsClusterTests"/>); but the members refuse its connections, vote it dead, and it stops, while the
/// members stay.
/// </summary>
public sealed class UntrustedSiloTests : IDisposable
{
    private readonly TemporaryFolder work = new();
    private readonly TestCertificates certificates = new();

    public void Dispose()
    {
        certificates.Dispose();
        work.Dispose();
    }

    [Fact]
    public async Task SiloWithAnUntrustedCertificate_CannotJoinTheCluster()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        using var redis = new RedisServer();
        var artifacts = Path.Combine(work.Path, "artifacts");
        await using var first = SiloHost.Build(RedisSiloArguments.For(redis, artifacts, 1, certificates.Silo("first").SiloArguments));
        await first.StartAsync();
        await using var second = SiloHost.Build(RedisSiloArguments.For(redis, artifacts, 1, certificates.Silo("second").SiloArguments));
        await second.StartAsync();
        var management = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count); // the members do talk over TLS

        // Its own process: a silo voted dead stops its process, as it should.
        var strangerPort = FreePorts.Next();
        using var stranger = SiloProcess.Start(new Dictionary<string, string>(), RedisSiloArguments.For(redis, artifacts, 1,
            [.. certificates.Stranger("intruder", silo: true).SiloArguments, "--Sweeps:Store:SiloPort", strangerPort.ToString()]));

        // The members refuse its connections, cannot probe it and vote it dead; it learns so from the table and stops.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var intruder = (await management.GetHosts(onlyActive: false)).Where(h => h.Key.Endpoint.Port == strangerPort).Select(h => h.Value).ToList();
            if (intruder.Count > 0 && intruder.All(s => s == SiloStatus.Dead)) break;
            Assert.True(DateTime.UtcNow < deadline, "the silo with an untrusted certificate is not declared dead: " + string.Join(", ", intruder) + "\n" + stranger.Output);
            await Task.Delay(500);
        }
        Assert.NotNull(await stranger.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("RemoteCertificate", stranger.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
        await second.StopAsync();
        await first.StopAsync();
    }
}
