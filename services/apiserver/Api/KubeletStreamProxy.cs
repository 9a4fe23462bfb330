using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Api;

/// <summary>
/// The apiserver's half of <c>pods/exec</c> and <c>pods/attach</c>: opens the WebSocket to the node agent first, with
/// the subprotocols the client offered, so an agent's refusal (container gone, not running) or absence (502) still
/// reaches the client as an HTTP Status; then accepts the client's upgrade with the protocol the agent chose and
/// relays messages until either side closes.
/// </summary>
internal sealed partial class KubeletStreamProxy(KubeletProxy kubelet, ILogger<KubeletStreamProxy> log)
{
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public async Task RelayAsync(HttpContext ctx, string nodeName, Uri url, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        using var agent = await ConnectAsync(nodeName, url, protocols, ct);
        using var client = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = agent.SubProtocol, KeepAliveInterval = KeepAlive });
        if (await WebSocketRelay.RunAsync(client, agent, ct) is { } error && !ct.IsCancellationRequested)
            StreamBroken(nodeName, error.GetType().Name, error.Message);
    }

    /// <summary>The WebSocket handshake (RFC 6455) with the agent over the kubelet client, whose 101 answer carries the connection.</summary>
    private async Task<WebSocket> ConnectAsync(string nodeName, Uri url, IReadOnlyList<string> protocols, CancellationToken ct)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", key);
        request.Headers.Add("Sec-WebSocket-Protocol", string.Join(", ", protocols));
        var response = await kubelet.SendAsync(request, nodeName, ct);
        try
        {
#pragma warning disable CA5350 // RFC 6455 defines Sec-WebSocket-Accept with SHA-1; it proves the upgrade, it protects nothing
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
#pragma warning restore CA5350
            var protocol = response.Headers.TryGetValues("Sec-WebSocket-Protocol", out var p) ? p.FirstOrDefault() : null;
            if (response.StatusCode != HttpStatusCode.SwitchingProtocols
                || !(response.Headers.TryGetValues("Sec-WebSocket-Accept", out var a) && a.FirstOrDefault() == accept)
                || protocol is null || !protocols.Contains(protocol))
                throw new ApiProblem(502, "BadGateway", $"the node agent of node \"{nodeName}\" did not complete the WebSocket upgrade ({(int)response.StatusCode}, subprotocol \"{protocol}\")");
            var stream = await response.Content.ReadAsStreamAsync(ct);
            return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, SubProtocol = protocol, KeepAliveInterval = KeepAlive });
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "exec/attach stream with node {Node} ended early: {Error}: {Message}")]
    private partial void StreamBroken(string node, string error, string message);
}
