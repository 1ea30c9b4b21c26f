using System.Net;
using System.Net.Sockets;
using Sweeps.Testing;

namespace Sweeps.Silo.Tests;

/// <summary>
/// The silo executable started with a setting that cannot work (a store nobody answers at, a port another process
/// holds, a certificate that is not there) says so in one line naming the setting and exits non-zero, so that
/// Kubernetes restarts it: no stack trace, no abort.
/// </summary>
public sealed class SiloStartProblemTests : IDisposable
{
    private readonly TemporaryFolder work = new();

    public void Dispose() => work.Dispose();

    private Dictionary<string, string> RedisCluster(int redisPort, int siloPort, int gatewayPort) => new()
    {
        ["Sweeps__Store__Kind"] = "redis",
        ["Sweeps__Store__Redis"] = $"127.0.0.1:{redisPort},password=not-to-be-printed",
        ["Sweeps__Tls__Enabled"] = "false",
        ["Sweeps__Store__SiloPort"] = siloPort.ToString(),
        ["Sweeps__Store__GatewayPort"] = gatewayPort.ToString(),
        ["Sweeps__ArtifactRoot"] = Path.Combine(work.Path, "artifacts"),
    };

    private static void AssertOneLine(int exitCode, string output, string expected)
    {
        Assert.True(exitCode == 1, $"exit {exitCode}:\n{output}");
        Assert.Equal($"the silo cannot start: {expected}", output.Trim());
    }

    [Fact]
    public async Task StoreThatDoesNotAnswer_NamesTheStoreSetting_NeverThePassword()
    {
        var (exitCode, output) = await SiloProcess.RunAsync(RedisCluster(FreePorts.Next(), FreePorts.Next(), FreePorts.Next()), "--urls", "http://127.0.0.1:0");

        Assert.StartsWith("the silo cannot start: Sweeps:Store:Redis: cannot reach the cluster's store at 127.0.0.1:", output);
        AssertOneLine(exitCode, output, output.Trim()["the silo cannot start: ".Length..]);
        Assert.DoesNotContain("not-to-be-printed", output);
    }

    [Fact]
    public async Task SiloPortHeldByAnotherProcess_NamesThePortSetting()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, output) = await SiloProcess.RunAsync(RedisCluster(FreePorts.Next(), port, FreePorts.Next()), "--urls", "http://127.0.0.1:0");

        AssertOneLine(exitCode, output, $"Sweeps:Store:SiloPort: port {port} on 0.0.0.0 is already in use by another process");
    }

    [Fact]
    public async Task HttpPortHeldByAnotherProcess_NamesUrls()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var embedded = new Dictionary<string, string>
        {
            ["Sweeps__Store__SqlitePath"] = Path.Combine(work.Path, "sweeps.db"),
            ["Sweeps__Store__SiloPort"] = "0",
            ["Sweeps__Store__GatewayPort"] = "0",
            ["Sweeps__ArtifactRoot"] = Path.Combine(work.Path, "artifacts"),
        };

        var (exitCode, output) = await SiloProcess.RunAsync(embedded, "--urls", $"http://127.0.0.1:{port}");

        AssertOneLine(exitCode, output, $"--urls (ASPNETCORE_URLS) http://127.0.0.1:{port}: port {port} on 127.0.0.1 is already in use by another process");
    }

    [Fact]
    public async Task CertificateThatIsNotThere_NamesTheTlsSetting()
    {
        var environment = RedisCluster(FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        environment["Sweeps__Tls__Enabled"] = "true";
        environment["Sweeps__Tls__Certificate"] = Path.Combine(work.Path, "tls.crt");
        environment["Sweeps__Tls__Key"] = Path.Combine(work.Path, "tls.key");
        environment["Sweeps__Tls__CertificateAuthority"] = Path.Combine(work.Path, "ca.crt");

        var (exitCode, output) = await SiloProcess.RunAsync(environment, "--urls", "http://127.0.0.1:0");

        AssertOneLine(exitCode, output, $"Sweeps:Tls:Certificate: {Path.Combine(work.Path, "tls.crt")} does not exist");
    }
}
