using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace Platform.NodeAgent.Tests.Dns;

/// <summary>A resolver on a free loopback port that knows no name: what the host's resolver answers for <c>db-service.dev.</c>.</summary>
internal sealed class NxDomainResolver : IDisposable
{
    private readonly DnsServer _server;

    private NxDomainResolver(DnsServer server, IPEndPoint endpoint)
    {
        _server = server;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }

    public static NxDomainResolver Start()
    {
        IPEndPoint endpoint;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) endpoint = (IPEndPoint)probe.Client.LocalEndPoint!;
        var server = new DnsServer([new UdpServerTransport(endpoint, 2000)]);
        server.QueryReceived += (_, e) =>
        {
            var response = ((DnsMessage)e.Query).CreateResponseInstance();
            response.ReturnCode = ReturnCode.NxDomain;
            e.Response = response;
            return Task.CompletedTask;
        };
        server.Start();
        return new NxDomainResolver(server, endpoint);
    }

    public void Dispose()
    {
        _server.Stop();
        ((IDisposable)_server).Dispose();
    }
}
