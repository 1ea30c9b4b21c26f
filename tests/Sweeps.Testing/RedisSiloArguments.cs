namespace Sweeps.Testing;

/// <summary>
/// Command-line settings for a silo host in cluster mode on a test Redis: loopback, free ports, a pool with CPU slots,
/// a shared artefact folder, no Kubernetes, one thread per trial; TLS with the certificate files <c>extra</c> names, else with the Redis
/// server's where it has them, else plaintext; <c>extra</c> settings follow and win.
/// </summary>
public static class RedisSiloArguments
{
    public static string[] For(RedisServer redis, string artifactRoot, int cpuSlots = 1, params string[] extra) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Sweeps:Store:Kind", "redis",
        "--Sweeps:Store:Redis", redis.ConnectionString,
        "--Sweeps:Store:AdvertisedAddress", "127.0.0.1",
        "--Sweeps:Store:SiloPort", FreePorts.Next().ToString(),
        "--Sweeps:Store:GatewayPort", FreePorts.Next().ToString(),
        "--Sweeps:ArtifactRoot", artifactRoot,
        "--Sweeps:Pool", "cpu",
        "--Sweeps:CpuSlots", cpuSlots.ToString(),
        "--Sweeps:Kubernetes", "false",
        // One libtorch thread per trial worker: the tests put several silos on one machine's two cores.
        "--Sweeps:Worker:Threads", "1",
        .. extra.Contains("--Sweeps:Tls:Certificate") ? [] : redis.Tls?.SiloArguments ?? ["--Sweeps:Tls:Enabled", "false"],
        .. extra,
    ];
}
