using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

public static class Network
{
    /// <summary>A TCP port free on 127.0.0.1 at the time of the call.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
