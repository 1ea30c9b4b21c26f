using Microsoft.Extensions.Options;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>A silo given a setting out of range stops at start with a message naming the setting, instead of running wrongly.</summary>
public sealed class OptionsValidationTests : IDisposable
{
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    private string[] Arguments(params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Sweeps:Store:SqlitePath", Path.Combine(work.Path, "sweeps.db"),
        "--Sweeps:Store:SiloPort", "0",
        "--Sweeps:Store:GatewayPort", "0",
        "--Sweeps:ArtifactRoot", Path.Combine(work.Path, "artifacts"),
        .. extra,
    ];

    [Theory]
    [InlineData("Sweeps:Store:Kind", "rediss")]
    [InlineData("Sweeps:Store:GatewayPort", "70000")]
    [InlineData("Sweeps:ShutdownTimeout", "-00:00:05")]
    [InlineData("Sweeps:ShutdownTimeout", "soon")]
    [InlineData("Sweeps:Dashboard", "yes")]
    [InlineData("Sweeps:Kubernetes", "maybe")]
    public void SettingReadWhileBuilding_StopsTheSilo_NamingIt(string setting, string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => SiloHost.Build(Arguments("--" + setting, value)));

        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public void RedisClusterWithoutTls_DoesNotStart_UnlessPlaintextIsAskedFor()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SiloHost.Build(Arguments("--Sweeps:Store:Kind", "redis", "--Sweeps:Store:Redis", "127.0.0.1:1")));

        Assert.Contains("Sweeps:Tls: a Redis cluster's connections need TLS", error.Message);
        Assert.Contains("Sweeps:Tls:Enabled=false", error.Message);
    }

    [Fact]
    public void TlsSettings_AreCheckedWhileBuilding_NamingTheSettingNeverTheKey()
    {
        using var certificates = new TestCertificates();
        var user = certificates.User("alice");
        string Problem(params string[] tls) =>
            Assert.Throws<OptionsValidationException>(() => SiloHost.Build(Arguments(["--Sweeps:Store:Kind", "redis", "--Sweeps:Store:Redis", "127.0.0.1:1", .. tls]))).Message;

        Assert.Contains("Sweeps:Tls:Key: expected a PEM file", Problem("--Sweeps:Tls:Certificate", user.Certificate));
        Assert.Contains("does not exist", Problem("--Sweeps:Tls:Certificate", user.Certificate, "--Sweeps:Tls:Key", user.Key + ".missing", "--Sweeps:Tls:CertificateAuthority", user.Authority));
        // A user's certificate (client authentication only) is not a silo's.
        var notASilo = Problem(new CertificateFiles(user.Certificate, user.Key, user.Authority).SiloArguments);
        Assert.Contains("it is not meant for a silo", notASilo);
        Assert.DoesNotContain(File.ReadAllLines(user.Key)[1], notASilo);
        var wrongKey = Problem("--Sweeps:Tls:Certificate", user.Certificate, "--Sweeps:Tls:Key", certificates.Silo().Key, "--Sweeps:Tls:CertificateAuthority", user.Authority);
        Assert.Contains("are not a PEM certificate and its unencrypted private key", wrongKey);
    }

    [Theory]
    [InlineData("Sweeps:Admins:0", "ops")]
    [InlineData("Sweeps:Devices", "gpu0")]
    [InlineData("Sweeps:HeartbeatInterval", "-00:00:01")]
    [InlineData("Sweeps:CpuSlots", "-1")]
    [InlineData("Sweeps:CheckpointEverySteps", "-5")]
    public async Task SweepsSetting_IsValidatedBeforeTheSiloStarts_NamingIt(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var silo = SiloHost.Build(Arguments("--" + setting, value));
            await silo.StartAsync();
        });

        Assert.Contains(setting, error.Message);
    }
}
