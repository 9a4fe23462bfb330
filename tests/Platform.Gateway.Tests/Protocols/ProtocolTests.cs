using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Protocols;

/// <summary>WebSocket upgrade, Server-Sent Events and gRPC unary over h2c, each through the gateway to a real Kestrel backend.</summary>
public sealed class ProtocolTests
{
    private static Task<GatewayHost> GatewayAsync(string backendUrl, string metadata = "", IDictionary<string, string?>? settings = null) => GatewayHost.StartAsync($$"""
        spring:
          cloud:
            gateway:
              routes:
                - id: proto
                  uri: {{backendUrl}}
                  predicates: [ "Path=/**" ]
                  filters: [ "AddResponseHeader=X-Via, gateway" ]
        {{metadata}}
        """, settings);

    [Fact]
    public async Task WebSocket_UpgradesThroughTheGateway_AndEchoes()
    {
        await using var backend = await ProtocolBackend.StartAsync(http2Only: false);
        await using var gw = await GatewayAsync(backend.Url);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(gw.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws"), CancellationToken.None);
        foreach (var text in new[] { "ping", "second message" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[1024];
            var r = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, r.Count));
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task ServerSentEvents_EachEventReachesTheClientBeforeTheStreamEnds()
    {
        await using var backend = await ProtocolBackend.StartAsync(http2Only: false);
        await using var gw = await GatewayAsync(backend.Url);

        using var response = await gw.Client.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gateway", response.Headers.GetValues("X-Via").Single());
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The backend holds its second event until the first one has arrived here: nothing is buffered on the way.
        Assert.Equal("id: 1\ndata: first\n", await EventAsync(reader));
        backend.ReleaseSecondEvent();
        Assert.Equal("id: 2\ndata: second\n", await EventAsync(reader));
        Assert.Null(await reader.ReadLineAsync());
    }

    /// <summary>The lines of one event, up to the blank line that ends it.</summary>
    private static async Task<string> EventAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        while (await reader.ReadLineAsync() is { Length: > 0 } line) text.Append(line).Append('\n');
        return text.ToString();
    }

    [Fact]
    public async Task GrpcUnary_OverH2c_ThroughARouteWithHttpVersion2()
    {
        await using var backend = await ProtocolBackend.StartAsync(http2Only: true);
        // Kestrel speaks HTTP/2 without TLS (h2c) only on an HTTP/2-only endpoint: the gateway gets one beside its
        // HTTP/1.1 port through ASP.NET Core's own Kestrel:Endpoints configuration.
        var h2c = $"http://127.0.0.1:{Network.FreeTcpPort()}";
        await using var gw = await GatewayAsync(backend.Url, """
                      metadata:
                        http-version: 2
            """, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:H2c:Url"] = h2c,
            ["Kestrel:Endpoints:H2c:Protocols"] = "Http2",
        });

        using var channel = GrpcChannel.ForAddress(h2c);
        using var call = channel.CreateCallInvoker().AsyncUnaryCall(Say, null, new CallOptions(), "gateway");
        Assert.Equal("hello, gateway", await call.ResponseAsync);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal("gateway", (await call.ResponseHeadersAsync).GetValue("x-via"));
        Assert.Equal("HTTP/2", backend.LastGrpcProtocol);
    }

    [Fact]
    public async Task GrpcUnary_WithoutHttpVersion2_CannotReachAnH2cOnlyBackend()
    {
        // The default (HTTP/1.1 to a cleartext destination) cannot talk to an HTTP/2-only backend: the metadata is what makes gRPC work.
        await using var backend = await ProtocolBackend.StartAsync(http2Only: true);
        var h2c = $"http://127.0.0.1:{Network.FreeTcpPort()}";
        await using var gw = await GatewayAsync(backend.Url, "", new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:H2c:Url"] = h2c,
            ["Kestrel:Endpoints:H2c:Protocols"] = "Http2",
        });
        using var channel = GrpcChannel.ForAddress(h2c);
        using var call = channel.CreateCallInvoker().AsyncUnaryCall(Say, null, new CallOptions(), "gateway");
        var failed = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.NotEqual(StatusCode.OK, failed.StatusCode);
        Assert.Null(backend.LastGrpcProtocol);
    }

    private static readonly Method<string, string> Say = new(MethodType.Unary, "echo.Echo", "Say",
        Marshallers.Create(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b)),
        Marshallers.Create(s => Encoding.UTF8.GetBytes(s), b => Encoding.UTF8.GetString(b)));
}
