using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Platform.ClusterDns.Tests;

/// <summary>The server over real UDP and TCP sockets on loopback, asked by a DNS client as a pod's resolver would.</summary>
public sealed class ClusterDnsServerTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers) await server.DisposeAsync();
    }

    [Fact]
    public async Task ClusterNames_AreAnsweredOverUdpAndTcp()
    {
        var endpoint = await StartClusterDnsAsync(new ClusterDnsOptions { Upstreams = ["127.0.0.1:1"] });
        foreach (var transport in new IClientTransport[] { new UdpClientTransport(endpoint.Port), new TcpClientTransport(endpoint.Port) })
        {
            using var client = new DnsClient([endpoint.Address], [transport], disposeTransport: true, 2000);
            var answer = await client.ResolveAsync(DomainName.Parse("db-service.dev.svc.cluster.local"), RecordType.A);
            Assert.NotNull(answer);
            Assert.Equal(ReturnCode.NoError, answer.ReturnCode);
            Assert.True(answer.IsAuthoritiveAnswer);
            Assert.Equal(IPAddress.Parse("10.96.0.20"), Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);

            var missing = await client.ResolveAsync(DomainName.Parse("nope.dev.svc.cluster.local"), RecordType.A);
            Assert.Equal(ReturnCode.NxDomain, missing!.ReturnCode);
        }
    }

    [Fact]
    public async Task OtherNames_AreForwardedToTheUpstream()
    {
        var upstream = StartUpstream(IPAddress.Parse("192.0.2.44"));
        var endpoint = await StartClusterDnsAsync(new ClusterDnsOptions { Upstreams = [upstream.ToString()] });
        using var client = Client(endpoint);
        var answer = await client.ResolveAsync(DomainName.Parse("example.test"), RecordType.A);
        Assert.Equal(ReturnCode.NoError, answer!.ReturnCode);
        Assert.Equal(IPAddress.Parse("192.0.2.44"), Assert.IsType<ARecord>(Assert.Single(answer.AnswerRecords)).Address);
    }

    [Fact]
    public async Task AnUpstreamThatDoesNotAnswer_IsServFail_NotAHang()
    {
        var silent = FreeEndpoint();
        var endpoint = await StartClusterDnsAsync(new ClusterDnsOptions { Upstreams = [silent.ToString()], ForwardTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = Client(endpoint, timeoutMs: 5000);
        var answer = await client.ResolveAsync(DomainName.Parse("example.test"), RecordType.A);
        Assert.Equal(ReturnCode.ServerFailure, answer!.ReturnCode);
    }

    [Fact]
    public async Task UpstreamsDefaultToTheHostsResolvConf_WithoutTheServerItself()
    {
        var conf = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(conf, "nameserver 127.0.0.9\nnameserver 127.0.0.53\nsearch x\n");
            var options = new ClusterDnsOptions { ResolvConfPath = conf };
            Assert.Equal(["127.0.0.9:53", "127.0.0.53:53"], ClusterDnsServer.Upstreams(options).Select(e => e.ToString()));
            await using var server = new ClusterDnsServer(new ClusterDnsResolver(new InMemoryDnsSource(), options), options,
                [new IPEndPoint(IPAddress.Parse("127.0.0.9"), 53)], NullLogger.Instance);
            Assert.Equal(["127.0.0.53:53"], server.Forwarding.Select(e => e.ToString()));
        }
        finally
        {
            File.Delete(conf);
        }
    }

    private static DnsClient Client(IPEndPoint server, int timeoutMs = 2000) =>
        new([server.Address], [new UdpClientTransport(server.Port)], disposeTransport: true, timeoutMs);

    private Task<IPEndPoint> StartClusterDnsAsync(ClusterDnsOptions options)
    {
        var endpoint = FreeEndpoint();
        var server = new ClusterDnsServer(new ClusterDnsResolver(InMemoryDnsSource.Seeded(), options), options, [endpoint], NullLogger.Instance);
        server.Start();
        _servers.Add(server);
        return Task.FromResult(endpoint);
    }

    /// <summary>A stand-in for the host's resolver: answers every A question with one address.</summary>
    private IPEndPoint StartUpstream(IPAddress address)
    {
        var endpoint = FreeEndpoint();
        var server = new DnsServer([new UdpServerTransport(endpoint, 2000)]);
        server.QueryReceived += (_, e) =>
        {
            var query = (DnsMessage)e.Query;
            var response = query.CreateResponseInstance();
            response.AnswerRecords.Add(new ARecord(query.Questions[0].Name, 30, address));
            e.Response = response;
            return Task.CompletedTask;
        };
        server.Start();
        _servers.Add(new Stopper(server));
        return endpoint;
    }

    private static IPEndPoint FreeEndpoint()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.Client.LocalEndPoint!).Port);
        tcp.Start();
        return (IPEndPoint)udp.Client.LocalEndPoint!;
    }

    private sealed class Stopper(DnsServer server) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            server.Stop();
            ((IDisposable)server).Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
