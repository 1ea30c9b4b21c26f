using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// A cluster as the overlays run it: Redis speaking only TLS, with a password, asking every client for a certificate;
/// one silo with mutual TLS on its silo and gateway ports and <c>CN=carol</c> as admin; certificates for users alice,
/// bob and carol. Shared by the tests of <see cref="TlsClusterTests"/>.
/// </summary>
public sealed class TlsCluster : IAsyncLifetime
{
    public const string Admin = "CN=carol, O=Sweeps tests";
    private readonly TemporaryFolder work = new();
    private readonly TinyBert tiny = new();

    public TestCertificates Certificates { get; } = new();

    public RedisServer Redis { get; private set; } = null!;

    public WebApplication Silo { get; private set; } = null!;

    public int GatewayPort { get; private set; }

    public string Gateway => $"127.0.0.1:{GatewayPort}";

    public CertificateFiles Alice { get; private set; } = null!;

    public CertificateFiles Bob { get; private set; } = null!;

    public CertificateFiles Carol { get; private set; } = null!;

    public string Work => work.Path;

    public IGrainFactory Grains => Silo.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        Alice = Certificates.User("alice");
        Bob = Certificates.User("bob");
        Carol = Certificates.User("carol");
        Redis = new RedisServer("Sw33ps-store-s3cret", Certificates.Silo("redis"));
        TinyTasks.WriteSst2Folder(work, repeats: 4);
        GatewayPort = FreePorts.Next();
        var arguments = RedisSiloArguments.For(Redis, Path.Combine(work.Path, "artifacts"), cpuSlots: 1,
            [.. Certificates.Silo().SiloArguments, "--Sweeps:Store:GatewayPort", GatewayPort.ToString(), "--Sweeps:Admins:0", Admin]);
        Silo = SiloHost.Build(arguments);
        await Silo.StartAsync();
    }

    /// <summary>A grid of two tiny SMP-S trials; <paramref name="epochs"/> long enough to be cancelled midway, or short to finish.</summary>
    public string Grid(string name, int epochs) =>
        work.Write($"{name}.yaml", TinyGrids.SmpS(name, tiny.Directory, Path.Combine(work.Path, "sst2"), [1, 2], epochs));

    public async Task DisposeAsync()
    {
        if (Silo is not null)
        {
            await Silo.StopAsync();
            await Silo.DisposeAsync();
        }
        Redis?.Dispose();
        Certificates.Dispose();
        tiny.Dispose();
        work.Dispose();
    }
}
