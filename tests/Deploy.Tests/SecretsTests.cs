using Sweeps.Testing;

namespace Sweeps.Deploy.Tests;

/// <summary>
/// The store's password reaches the silo from a file (a mounted secret), its TLS key from another, and neither ever
/// shows in what the silo writes, even at Debug level: a silo process joins a password-protected TLS Redis over TLS,
/// becomes ready, serves a client with a certificate, and stops.
/// </summary>
public sealed class SecretsTests : IDisposable
{
    private const string Password = "Sw33ps-store-s3cret";
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task StorePasswordAndTlsKeyFromFiles_SiloJoinsRedis_AndNeverWritesEither()
    {
        Assert.True(RedisServer.Available, "redis-server is missing: scripts/test installs Debian's redis-server");
        using var certificates = new TestCertificates();
        using var redis = new RedisServer(Password, certificates.Silo("redis"));
        var tls = certificates.Silo("sweeps-silo-0");
        var secret = work.Write("store-connection", redis.ConnectionString + "\n");
        var http = FreePorts.Next();
        var gateway = FreePorts.Next();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = http.ToString(),
            ["Logging__LogLevel__Default"] = "Debug",
            ["Sweeps__Kubernetes"] = "false",
            ["Sweeps__Store__Kind"] = "redis",
            ["Sweeps__Store__RedisFile"] = secret,
            ["Sweeps__Store__AdvertisedAddress"] = "127.0.0.1",
            ["Sweeps__Store__SiloPort"] = FreePorts.Next().ToString(),
            ["Sweeps__Store__GatewayPort"] = gateway.ToString(),
            ["Sweeps__Tls__Certificate"] = tls.Certificate,
            ["Sweeps__Tls__Key"] = tls.Key,
            ["Sweeps__Tls__CertificateAuthority"] = tls.Authority,
            ["Sweeps__ArtifactRoot"] = Path.Combine(work.Path, "artifacts"),
            ["SWEEPS_CACHE"] = Path.Combine(work.Path, "cache"),
        };

        using var silo = SiloProcess.Start(environment);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        await silo.WaitUntilReadyAsync(client);
        var (listed, list) = await SweepCli.RunAsync(["list", "--gateway", $"127.0.0.1:{gateway}", .. certificates.User("alice").CliArguments]);
        Assert.True(listed == 0, list);
        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("Debug", silo.Output, StringComparison.OrdinalIgnoreCase); // it did write at Debug level
        Assert.DoesNotContain(Password, silo.Output);
        // No line of either private key's PEM body (the silo's, and the one the client used).
        foreach (var key in new[] { tls.Key, redis.Tls!.Key })
            foreach (var line in File.ReadAllLines(key).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
                Assert.DoesNotContain(line, silo.Output);
        Assert.DoesNotContain("PRIVATE KEY", silo.Output);
    }

    [Fact]
    public async Task MissingSecretFile_SiloRefusesToStart_NamingTheSettingNotTheValue()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = FreePorts.Next().ToString(),
            ["Sweeps__Kubernetes"] = "false",
            ["Sweeps__Store__Kind"] = "redis",
            ["Sweeps__Store__RedisFile"] = Path.Combine(work.Path, "no-such-secret"),
            ["Sweeps__Tls__Enabled"] = "false",
        };

        var (exitCode, output) = await SiloProcess.RunAsync(environment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Sweeps:Store:RedisFile", output);
        Assert.Contains("does not exist", output);
    }
}
