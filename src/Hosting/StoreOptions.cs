using Microsoft.Extensions.Options;

namespace Sweeps.Hosting;

/// <summary>Where the cluster keeps membership, grain state and reminders (<c>Sweeps:Store:*</c>).</summary>
public sealed class StoreOptions
{
    public const string Section = "Sweeps:Store";

    /// <summary><c>embedded</c>: one process, localhost clustering, SQLite state. <c>redis</c>: Orleans' Redis providers.</summary>
    public string Kind { get; set; } = "embedded";

    /// <summary>The SQLite file of the embedded store.</summary>
    public string SqlitePath { get; set; } = "";

    /// <summary>StackExchange.Redis configuration string (host:port,password=...) of the cluster store.</summary>
    public string Redis { get; set; } = "";

    /// <summary>A file holding <see cref="Redis"/> instead (a mounted secret), read at start when <see cref="Redis"/> is empty.</summary>
    public string RedisFile { get; set; } = "";

    /// <summary>Orleans cluster and service ids: silos and clients with the same ids form one cluster.</summary>
    public string ClusterId { get; set; } = "sweeps";

    public string ServiceId { get; set; } = "sweeps";

    /// <summary>Silo-to-silo and client gateway ports (0: any free port, for the embedded store).</summary>
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP address other silos and clients reach this silo at (a pod's IP); empty: this host name's address.</summary>
    public string AdvertisedAddress { get; set; } = "";

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every setting that is out of range (a typo in the kind is not the embedded store).</summary>
    public void Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string setting, string expected)
        {
            if (!ok) problems.Add($"{Section}:{setting}: expected {expected}");
        }

        Check(Kind.ToLowerInvariant() is "embedded" or "redis", nameof(Kind), $"embedded or redis, got '{Kind}'");
        Check(SiloPort is >= 0 and <= 65535, nameof(SiloPort), "a port from 0 to 65535");
        Check(GatewayPort is >= 0 and <= 65535, nameof(GatewayPort), "a port from 0 to 65535");
        // Other silos and clients find a cluster's silo by its ports: "any free port" is for the embedded store alone.
        Check(!IsRedis || SiloPort > 0, nameof(SiloPort), "a port from 1 to 65535 for a Redis cluster");
        Check(!IsRedis || GatewayPort > 0, nameof(GatewayPort), "a port from 1 to 65535 for a Redis cluster");
        Check(!string.IsNullOrWhiteSpace(ClusterId), nameof(ClusterId), "a non-empty id");
        Check(!string.IsNullOrWhiteSpace(ServiceId), nameof(ServiceId), "a non-empty id");
        Check(AdvertisedAddress.Length == 0 || System.Net.IPAddress.TryParse(AdvertisedAddress, out _), nameof(AdvertisedAddress), "an IP address (or empty)");
        if (problems.Count > 0) throw new OptionsValidationException(Section, typeof(StoreOptions), problems);
    }

    public bool IsRedis => string.Equals(Kind, "redis", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string, from <see cref="Redis"/> or <see cref="RedisFile"/>. Errors name the setting, never the value.</summary>
    public string RedisConnectionString()
    {
        if (!string.IsNullOrWhiteSpace(Redis)) return Redis;
        if (string.IsNullOrWhiteSpace(RedisFile))
            Fail("Sweeps:Store:Kind is redis but neither Sweeps:Store:Redis (a connection string) nor Sweeps:Store:RedisFile is set");
        if (!File.Exists(RedisFile)) Fail($"Sweeps:Store:RedisFile: {RedisFile} does not exist");
        var text = File.ReadAllText(RedisFile).Trim();
        if (text.Length == 0) Fail($"Sweeps:Store:RedisFile: {RedisFile} is empty");
        return text;
    }

    private static void Fail(string problem) => throw new OptionsValidationException(Section, typeof(StoreOptions), [problem]);
}
