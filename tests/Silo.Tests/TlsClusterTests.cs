using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Sweeps.Grains.Interfaces;
using Sweeps.Grains.Interfaces.Sweeps;
using Sweeps.Grains.Security;
using Sweeps.Hosting;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// Mutual TLS on a real cluster (<see cref="TlsCluster"/>): the gateway lets in only clients with a valid certificate of
/// the cluster's authority; a tiny sweep runs to the end over TLS to Redis and between client and silo; sweeps belong
/// to the subject of the certificate that submitted them, and only it or an admin may cancel them.
/// </summary>
public sealed partial class TlsClusterTests(TlsCluster cluster) : IClassFixture<TlsCluster>
{
    [Fact]
    public async Task TinySweep_RunsToTheEndOverTls_OwnedByTheSubmittersSubject()
    {
        // Submitted through the cluster's Redis (TLS, password, client certificate), listed through the gateway.
        var (submitted, output) = await SweepCli.RunAsync(["submit", cluster.Grid("finishes", epochs: 2), "--watch", "--cluster", cluster.Redis.ConnectionString, .. cluster.Alice.CliArguments]);
        Assert.True(submitted == 0, output);
        var sweepId = SweepIdIn().Match(output).Groups[1].Value;
        var status = (await cluster.Grains.GetGrain<ISweepGrain>(sweepId).GetStatus())!;
        Assert.Equal(2, status.Count(TrialState.Done));
        Assert.Equal("CN=alice, O=Sweeps tests", status.Owner);

        var (listed, list) = await SweepCli.RunAsync(["list", "--gateway", cluster.Gateway, .. cluster.Bob.CliArguments]);
        Assert.True(listed == 0, list);
        Assert.Matches($@"{Regex.Escape(sweepId)}\s*│\s*finishes\s*│\s*CN=alice, O=Sweeps tests", list);
    }

    [Fact]
    public async Task AnotherUsersCancel_IsRefusedSayingWhoMay_WhileTheOwnersAndAnAdminsSucceed()
    {
        var first = await Submit("cancelled-by-owner");
        var (refused, refusal) = await SweepCli.RunAsync(["cancel", first, "--gateway", cluster.Gateway, .. cluster.Bob.CliArguments]);
        Assert.True(refused == 2, refusal);
        refusal = Regex.Replace(refusal, @"\s+", " "); // the terminal wraps long lines
        Assert.Contains($"CN=bob, O=Sweeps tests may not cancel sweep {first}, which belongs to CN=alice, O=Sweeps tests", refusal);
        Assert.Contains($"only its owner or an admin (Sweeps:Admins: {TlsCluster.Admin}) may", refusal);
        Assert.False((await cluster.Grains.GetGrain<ISweepGrain>(first).GetStatus())!.Cancelled);

        var (byOwner, ownerOutput) = await SweepCli.RunAsync(["cancel", first, "--gateway", cluster.Gateway, .. cluster.Alice.CliArguments]);
        Assert.True(byOwner == 0, ownerOutput);
        Assert.True((await cluster.Grains.GetGrain<ISweepGrain>(first).GetStatus())!.Cancelled);

        var second = await Submit("cancelled-by-admin");
        var (byAdmin, adminOutput) = await SweepCli.RunAsync(["cancel", second, "--gateway", cluster.Gateway, .. cluster.Carol.CliArguments]);
        Assert.True(byAdmin == 0, adminOutput);
        Assert.True((await cluster.Grains.GetGrain<ISweepGrain>(second).GetStatus())!.Cancelled);
    }

    public static TheoryData<string> RefusedClients => new() { "plaintext", "no certificate", "untrusted", "expired" };

    [Theory]
    [MemberData(nameof(RefusedClients))]
    public async Task Gateway_RefusesClients_WithoutAValidCertificateOfTheClustersAuthority(string client)
    {
        var trust = new ClusterTrust(Authority());
        Action<IClientBuilder> tls = client switch
        {
            "plaintext" => _ => { },
            // TLS, and the server's certificate is checked, but no certificate of its own to show.
            "no certificate" => b => b.UseTls(o => o.RemoteCertificateValidation = (c, _, _) => trust.Problem(c, ClusterTrust.ServerAuthentication) is null),
            "untrusted" => b => b.UseSweepsTls(new ClusterCredentials(Load(cluster.Certificates.Stranger("mallory", silo: false)), trust)),
            "expired" => b => b.UseSweepsTls(new ClusterCredentials(Load(cluster.Certificates.Expired("alice")), trust)),
            _ => throw new ArgumentOutOfRangeException(nameof(client)),
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(tls));

        Assert.DoesNotContain("No certificate specified", error.Message); // refused by the gateway, not by the test's own set-up
    }

    [Fact]
    public async Task ClientWithAValidCertificate_IsLetIn()
    {
        var credentials = new ClusterCredentials(Load(cluster.Alice), new ClusterTrust(Authority()));

        using var client = await ConnectAsync(b => b.UseSweepsTls(credentials));

        Assert.NotNull(await client.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepCatalogGrain>(0).List());
    }

    [Fact]
    public async Task Cli_SaysWhatIsWrong_WithItsOwnCertificate_AndWithNoneAgainstATlsGateway()
    {
        var expired = cluster.Certificates.Expired("alice");
        var (exitCode, output) = await SweepCli.RunAsync(["list", "--gateway", cluster.Gateway, .. expired.CliArguments]);
        Assert.Equal(2, exitCode);
        Assert.Contains("--tls-cert: certificate CN=alice, O=Sweeps tests: it is not valid now", output);

        var (missing, missingOutput) = await SweepCli.RunAsync("list", "--gateway", cluster.Gateway, "--tls-cert", cluster.Alice.Certificate);
        Assert.Equal(2, missing);
        Assert.Contains("--tls-key: expected a PEM file", missingOutput);

        var (plain, plainOutput) = await SweepCli.RunAsync("list", "--gateway", cluster.Gateway);
        Assert.Equal(2, plain);
        Assert.Contains($"cannot reach the cluster through gateway {cluster.Gateway}", plainOutput);
        plainOutput = Regex.Replace(plainOutput, @"\s+", " ");
        Assert.Contains("does it need TLS (--tls-cert, --tls-key, --tls-ca)?", plainOutput);
    }

    [Fact]
    public async Task SiloWithAnUntrustedCertificate_IsRefusedByTheTlsRedis_AndNeverListed()
    {
        var port = FreePorts.Next();

        // The silo's start checks meet the refusal first: it names the store setting instead of starting.
        var refused = Assert.Throws<SiloStartException>(() => SiloHost.Build(RedisSiloArguments.For(cluster.Redis, Path.Combine(cluster.Work, "artifacts"), 1,
            [.. cluster.Certificates.Stranger("intruder", silo: true).SiloArguments, "--Sweeps:Store:SiloPort", port.ToString()])));
        Assert.StartsWith("Sweeps:Store:Redis: cannot reach the cluster's store at ", refused.Message);
        Assert.Contains("authentication failed", refused.Message);

        var hosts = await cluster.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: false);
        Assert.DoesNotContain(hosts.Keys, h => h.Endpoint.Port == port);
    }

    private async Task<string> Submit(string name)
    {
        var (exitCode, output) = await SweepCli.RunAsync(["submit", cluster.Grid(name, epochs: 400), "--gateway", cluster.Gateway, .. cluster.Alice.CliArguments]);
        Assert.True(exitCode == 0, output);
        return SweepIdIn().Match(output).Groups[1].Value;
    }

    private X509Certificate2Collection Authority()
    {
        var authority = new X509Certificate2Collection();
        authority.ImportFromPemFile(cluster.Certificates.AuthorityFile);
        return authority;
    }

    private static X509Certificate2 Load(CertificateFiles files) => X509Certificate2.CreateFromPemFile(files.Certificate, files.Key);

    /// <summary>An Orleans client of the cluster's gateway, with <paramref name="tls"/> as its only security, that gives up after its first failed try.</summary>
    private async Task<IHost> ConnectAsync(Action<IClientBuilder> tls)
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("sweeps", "sweeps"));
            client.UseStaticClustering(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, cluster.GatewayPort));
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            tls(client);
        });
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StartAsync(timeout.Token);
            // Connected: a call proves the gateway answers, not just that a socket opened.
            await host.Services.GetRequiredService<IGrainFactory>().GetGrain<ISweepCatalogGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(20));
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"sweep (\S+-[0-9a-f]{8})")]
    private static partial Regex SweepIdIn();
}
