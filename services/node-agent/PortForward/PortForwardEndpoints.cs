using System.Net.WebSockets;
using Platform.NodeAgent.Api;

namespace Platform.NodeAgent.PortForward;

/// <summary>
/// kubelet's <c>/portForward/{namespace}/{pod}</c> on the agent's port, reached through the apiserver's
/// <c>pods/portforward</c>: a WebSocket whose binary messages carry one SPDY session (client-go's tunneling protocol,
/// what kubectl 1.30+ opens to the apiserver, which relays it unchanged), served by
/// <see cref="SpdyPortForwardSession"/>. <see cref="KubeletAuthFilter"/> keeps everyone but the apiserver out.
/// </summary>
internal static partial class PortForwardEndpoints
{
    /// <summary>
    /// The apiserver's tunnel: kubectl's <c>SPDY/3.1+portforward.k8s.io</c> session under a name that is an RFC 6455
    /// token (no <c>/</c>), which .NET's WebSocket client and server insist on.
    /// </summary>
    public const string SpdyTunnelProtocol = "spdy31.portforward.platform.io";

    /// <summary>Sessions one agent serves at once; more get 429 before the upgrade.</summary>
    public const int MaxSessions = 64;

    /// <summary>Ports one <c>v4.channel.k8s.io</c> session may name (two channels each, channel numbers are a byte).</summary>
    public const int MaxChannelPorts = 16;

    private const string SessionsKey = "port-forward-sessions";

    public static IServiceCollection AddPortForward(this IServiceCollection services) =>
        services.AddSingleton<PodPortResolver>().AddKeyedSingleton(SessionsKey, (_, _) => new SemaphoreSlim(MaxSessions, MaxSessions));

    public static IEndpointRouteBuilder MapPortForwardApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/portForward").AddEndpointFilter<KubeletAuthFilter>().MapGet("/{namespace}/{pod}", PortForwardAsync);
        return app;
    }

    public static async Task<IResult> PortForwardAsync(HttpContext ctx, string @namespace, string pod, PodPortResolver pods, TimeProvider time,
        ILoggerFactory loggers, [FromKeyedServices(SessionsKey)] SemaphoreSlim sessions, CancellationToken ct)
    {
        var requested = ctx.WebSockets.IsWebSocketRequest ? ctx.WebSockets.WebSocketRequestedProtocols : [];
        var protocol = requested.Contains(SpdyTunnelProtocol) ? SpdyTunnelProtocol : requested.Contains(ChannelPortForwardSession.Protocol) ? ChannelPortForwardSession.Protocol : null;
        if (protocol is null)
            return KubeletAuthFilter.Problem(400, "BadRequest", $"port forwarding is a WebSocket upgrade with subprotocol {SpdyTunnelProtocol} or {ChannelPortForwardSession.Protocol}");
        List<int> ports = [];
        foreach (var p in ctx.Request.Query["ports"].SelectMany(v => (v ?? "").Split(',')))
        {
            if (!ushort.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port == 0)
                return KubeletAuthFilter.Problem(400, "BadRequest", $"ports: '{(p.Length > 16 ? p[..16] + "..." : p)}' is not a port number (1-65535)");
            ports.Add(port);
        }
        if (protocol == ChannelPortForwardSession.Protocol && ports.Count is 0 or > MaxChannelPorts)
            return KubeletAuthFilter.Problem(400, "BadRequest", $"ports: {ChannelPortForwardSession.Protocol} needs 1 to {MaxChannelPorts} ports in ?ports=");
        var uid = ctx.Request.Query["uid"].FirstOrDefault() is { Length: > 0 } u ? u : null;
        var target = await pods.FindAsync(@namespace, pod, uid, ct);
        if (target is null) return KubeletAuthFilter.Problem(404, "NotFound", $"pod \"{pod}\" in namespace \"{@namespace}\" has no running container on this node");
        if (!sessions.Wait(0, CancellationToken.None)) return KubeletAuthFilter.Problem(429, "TooManyRequests", $"{MaxSessions} port-forward sessions are open on this node");
        try
        {
            using var ws = await ctx.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                SubProtocol = protocol,
                // A peer that vanished without closing (its host died) is noticed and the session ends.
                KeepAliveInterval = TimeSpan.FromSeconds(15),
                KeepAliveTimeout = TimeSpan.FromSeconds(30),
            });
            if (protocol == ChannelPortForwardSession.Protocol)
            {
                await new ChannelPortForwardSession(ws, target, ports).RunAsync(ct);
            }
            else
            {
                await using var tunnel = WebSocketStream.Create(ws, WebSocketMessageType.Binary, ownsWebSocket: false);
                using var session = new SpdyPortForwardSession(tunnel, target, time, loggers.CreateLogger<SpdyPortForwardSession>());
                await session.RunAsync(ct);
            }
            await CloseAsync(ws);
        }
        finally
        {
            sessions.Release();
        }
        return TypedResults.Empty;
    }

    /// <summary>Ends the WebSocket politely when the peer is still there; a peer that is gone is not waited for.</summary>
    private static async Task CloseAsync(WebSocket ws)
    {
        if (ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
        }
    }
}
