using System.Net;
using System.Net.WebSockets;
using System.Text;
using Platform.NodeAgent.PortForward;
using Platform.NodeAgent.PortForward.Spdy;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Logs;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.PortForward;

/// <summary>
/// The agent's <c>/portForward/{namespace}/{pod}</c> as the apiserver calls it: a WebSocket carrying SPDY, to a busybox
/// httpd pod the agent runs in dockerd; and everyone else kept out.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PortForwardEndpointTests(ClusterFixture cluster) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        _ns = await _admin.CreateNamespaceAsync();
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
    }

    [Fact]
    public async Task PortForward_OverAWebSocketTunnel_ReachesTheContainerPort_AndRefusesEveryoneButTheApiServerAndAdmins()
    {
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", ClusterApi.HttpdPod("web", _node));
        await Eventually.WaitAsync(async () => (await _admin.GetPodAsync(_ns, "web")).IsReady(), Wait, "web ready");
        var url = new Uri(_agent!.Address, $"/portForward/{_ns}/web");
        // Absolute URLs: these clients carry a token, their base address (the apiserver's) does not matter.
        using (var anonymous = await new HttpClient().GetAsync(url))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var viewer = cluster.ApiServer.Client(await LogCluster.CreateTokenAsync(_admin, "viewer", _ns)))
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync(url)).StatusCode);
        // An admin passes, but a plain GET is no tunnel.
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await RefusedUpgradeAsync(new Uri(_agent.Address, $"/portForward/{_ns}/nothing")));

        using var ws = await ConnectAsync(url);
        await using var tunnel = WebSocketStream.Create(ws, WebSocketMessageType.Binary, ownsWebSocket: false);
        using var writer = new SpdyFrameWriter(tunnel);
        var reader = new SpdyFrameReader(tunnel);
        await writer.WriteAsync(new SpdySynStreamFrame(1, 0, 0, false, false, new SpdyHeaders(("streamtype", "error"), ("port", "8080"), ("requestid", "0"))), CancellationToken.None);
        await writer.WriteAsync(new SpdyDataFrame(1, true, ReadOnlyMemory<byte>.Empty), CancellationToken.None);
        await writer.WriteAsync(new SpdySynStreamFrame(3, 0, 0, false, false, new SpdyHeaders(("streamtype", "data"), ("port", "8080"), ("requestid", "0"))), CancellationToken.None);
        await writer.WriteAsync(new SpdyDataFrame(3, false, "GET /index.html HTTP/1.0\r\n\r\n"u8.ToArray()), CancellationToken.None);

        var response = new StringBuilder();
        using var timeout = new CancellationTokenSource(Wait);
        while (await reader.ReadAsync(timeout.Token) is { } frame)
        {
            if (frame is SpdyDataFrame { StreamId: 3 } d)
            {
                response.Append(Encoding.ASCII.GetString(d.Data.Span));
                if (d.Fin) break;
            }
        }
        Assert.StartsWith("HTTP/1.", response.ToString());
        Assert.EndsWith("\r\n\r\nplatform busybox\n", response.ToString());
    }

    private async Task<ClientWebSocket> ConnectAsync(Uri url)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol(PortForwardEndpoints.SpdyTunnelProtocol);
        ws.Options.SetRequestHeader("Authorization", "Bearer " + cluster.ApiServer.AdminToken);
        ws.Options.CollectHttpResponseDetails = true;
        await ws.ConnectAsync(new UriBuilder(url) { Scheme = "ws" }.Uri, CancellationToken.None);
        Assert.Equal(PortForwardEndpoints.SpdyTunnelProtocol, ws.SubProtocol);
        return ws;
    }

    /// <summary>The status of an upgrade the agent refuses (ClientWebSocket keeps it, not the body).</summary>
    private async Task<HttpStatusCode> RefusedUpgradeAsync(Uri url)
    {
        using var probe = new ClientWebSocket();
        probe.Options.AddSubProtocol(PortForwardEndpoints.SpdyTunnelProtocol);
        probe.Options.SetRequestHeader("Authorization", "Bearer " + cluster.ApiServer.AdminToken);
        probe.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => probe.ConnectAsync(new UriBuilder(url) { Scheme = "ws" }.Uri, CancellationToken.None));
        return probe.HttpStatusCode;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        _admin.Dispose();
    }
}
