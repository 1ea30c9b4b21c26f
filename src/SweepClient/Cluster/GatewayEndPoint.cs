using System.Net;
using Sweeps.SweepClient.Commands;

namespace Sweeps.SweepClient.Cluster;

/// <summary>Reads <c>--gateway HOST:PORT</c>: an IP address or a host name (resolved now, IPv4 preferred).</summary>
public static class GatewayEndPoint
{
    public static IPEndPoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new UserInputException($"--gateway '{text}': expected HOST:PORT, e.g. 127.0.0.1:30000");
        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new UserInputException($"--gateway '{text}': host {host} not found ({e.Message})");
        }
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new UserInputException($"--gateway '{text}': host {host} has no address");
        return new IPEndPoint(chosen, port);
    }
}
