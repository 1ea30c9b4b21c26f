using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Sweeps.Hosting;

namespace Sweeps.Silo;

/// <summary>
/// What would otherwise fail deep inside Orleans' start, after pages of logged stack traces, checked first so that the
/// silo can say in one line which setting is at fault: the ports it listens on are free, and a Redis store answers.
/// </summary>
public static class SiloStartChecks
{
    /// <summary>How long the store may take to answer before the silo gives up (Kubernetes then restarts it, as for any failed start).</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(10);

    public static void Run(StoreOptions store, ClusterCredentials? tls, string? urls)
    {
        if (store.IsRedis)
        {
            PortFree(IPAddress.Any, store.SiloPort, $"{StoreOptions.Section}:{nameof(StoreOptions.SiloPort)}");
            PortFree(IPAddress.Any, store.GatewayPort, $"{StoreOptions.Section}:{nameof(StoreOptions.GatewayPort)}");
        }
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (HttpEndPoint(url) is { } endPoint) PortFree(endPoint.Address, endPoint.Port, $"--urls (ASPNETCORE_URLS) {url}");
        if (store.IsRedis) StoreAnswers(store, tls);
    }

    private static void PortFree(IPAddress address, int port, string setting)
    {
        if (port == 0) return;
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            // As Kestrel and Orleans bind: a port whose last connections linger in TIME_WAIT (a silo restarted on the
            // same ports) is free; only a socket listening on it is a conflict.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied or SocketError.AddressNotAvailable)
        {
            var why = e.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "is already in use by another process",
                SocketError.AccessDenied => "may not be opened by this user (ports below 1024 need privileges)",
                _ => "is not an address of this machine",
            };
            throw new SiloStartException($"{setting}: port {port} on {address} {why}", e);
        }
    }

    /// <summary>The address and port of a Kestrel URL whose host is an IP address, a wildcard or localhost; null for a host name (Kestrel resolves those itself).</summary>
    private static IPEndPoint? HttpEndPoint(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return null;
        var rest = url[(schemeEnd + 3)..];
        var pathStart = rest.IndexOf('/');
        if (pathStart >= 0) rest = rest[..pathStart];
        var portStart = rest.LastIndexOf(':');
        if (portStart < 0 || rest.EndsWith(']') || !int.TryParse(rest[(portStart + 1)..], out var port)) return null;
        var host = rest[..portStart].Trim('[', ']');
        var address = host switch
        {
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : null,
        };
        return address is null ? null : new IPEndPoint(address, port);
    }

    private static void StoreAnswers(StoreOptions store, ClusterCredentials? tls)
    {
        var setting = string.IsNullOrWhiteSpace(store.Redis) ? $"{StoreOptions.Section}:{nameof(StoreOptions.RedisFile)}" : $"{StoreOptions.Section}:{nameof(StoreOptions.Redis)}";
        ConfigurationOptions options;
        try
        {
            options = TlsConnections.RedisOptions(store.RedisConnectionString(), tls);
        }
        catch (ArgumentException e)
        {
            // Never echo the string: it may hold the password.
            throw new SiloStartException($"{setting}: not a Redis connection string (host:port[,option=value…])", e);
        }
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = (int)StoreTimeout.TotalMilliseconds;
        var endPoints = string.Join(", ", options.EndPoints.Select(EndPointCollection.ToString));
        try
        {
            using var connection = ConnectionMultiplexer.Connect(options);
            connection.GetDatabase().Ping();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisException or TimeoutException)
        {
            // The password, or either side's certificate in the TLS handshake; the innermost message says which, never a secret.
            var why = e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } ? $"authentication failed: {e.GetBaseException().Message}"
                : options.Ssl ? "no answer, or the TLS handshake failed" : "no answer";
            throw new SiloStartException($"{setting}: cannot reach the cluster's store at {endPoints} ({why})", e);
        }
    }
}
