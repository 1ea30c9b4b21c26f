using System.Net;
using System.Net.Sockets;

namespace Sweeps.Testing;

/// <summary>A loopback TCP port nobody listens on right now, for servers the tests start.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
