using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Platform.ApiServer.Auth;
using Platform.ApiServer.Problems;
using Platform.ApiServer.Resources;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Api;

/// <summary>
/// <c>GET|POST /api/v1/namespaces/{ns}/pods/{name}/portforward</c> (the <c>pods/portforward</c> subresource, verb
/// <c>create</c>): authorizes the caller, opens a WebSocket to the pod's node agent, then upgrades the client and relays
/// the session both ways. kubectl 1.30+ asks for a WebSocket with subprotocol <c>SPDY/3.1+portforward.k8s.io</c>
/// (SPDY tunneled in binary messages); older kubectl, or <c>KUBECTL_PORT_FORWARD_WEBSOCKETS=false</c>, sends a plain
/// <c>Upgrade: SPDY/3.1</c> with <c>X-Stream-Protocol-Version: portforward.k8s.io</c>. Both become the same tunnel to
/// the agent, which speaks SPDY as kubelet does. Errors before the upgrade are v1 Status objects, which kubectl prints.
/// </summary>
internal static class PortForwardEndpoints
{
    public const string SpdyTunnelProtocol = "SPDY/3.1+portforward.k8s.io";
    public const string StreamProtocol = "portforward.k8s.io";

    /// <summary>Kubernetes' plain WebSocket port forwarding: a channel pair per <c>?ports=</c> entry, no SPDY (the agent serves it too).</summary>
    public const string ChannelProtocol = "v4.channel.k8s.io";

    /// <summary>As the agent bounds it: channel numbers are one byte, and a session is not a port scan.</summary>
    public const int MaxChannelPorts = 16;

    /// <summary>
    /// The agent hop's subprotocol: the same SPDY session in binary messages under a name .NET's WebSocket client accepts
    /// (kubectl's has a <c>/</c>, which RFC 6455 tokens do not allow and <c>ClientWebSocket</c> enforces).
    /// </summary>
    public const string AgentTunnelProtocol = "spdy31.portforward.platform.io";
    private const string StreamProtocolHeader = "X-Stream-Protocol-Version";

    public static IServiceCollection AddPortForward(this IServiceCollection services)
    {
        services.AddSingleton<NodeAgentTunnel>();
        services.AddSingleton<StreamingSessionLimit>();
        return services;
    }

    public static IEndpointRouteBuilder MapPortForwardApi(this IEndpointRouteBuilder app)
    {
        // Literal segments outrank the generic /{plural}/{name}/{subresource} route of ResourceEndpoints.
        app.MapMethods("/api/v1/namespaces/{namespace}/pods/{name}/portforward", [HttpMethods.Get, HttpMethods.Post], PortForwardAsync).RequireAuthorization();
        return app;
    }

    public static async Task<IResult> PortForwardAsync(HttpContext ctx, string @namespace, string name, ResourceService resources, NodeAgentTunnel agents,
        StreamingSessionLimit sessions, Authorizer auth, CancellationToken ct)
    {
        try
        {
            await ForwardAsync(ctx, @namespace, name, resources, agents, sessions, auth, ct);
            return TypedResults.Empty;
        }
        catch (ApiProblem p) when (!ctx.Response.HasStarted)
        {
            // kubectl reads the refused upgrade's body as a v1 Status whatever it asked for: no Accept header comes with it.
            return ApiProblemFilter.ToStatus(p);
        }
    }

    private static async Task ForwardAsync(HttpContext ctx, string ns, string name, ResourceService resources, NodeAgentTunnel agents,
        StreamingSessionLimit sessions, Authorizer auth, CancellationToken ct)
    {
        if (!LabelNames.IsDns1123Label(ns)) throw ApiProblem.NotFound($"namespaces \"{(ns.Length > 64 ? ns[..64] + "..." : ns)}\" not found (not a valid namespace name)");
        var caller = BearerTokenHandler.CallerOf(ctx);
        auth.Check(caller, Verb.Create, ResourceKinds.Pod, ns, "portforward", name);
        var ports = Ports(ctx.Request.Query["ports"]);
        var websocket = WebSocketUpgrade.IsWebSocketRequest(ctx.Request);
        var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
        // The client's subprotocol, and the agent hop's for it.
        var (clientProtocol, agentProtocol) = (SpdyTunnelProtocol, AgentTunnelProtocol);
        if (websocket)
        {
            var requested = WebSocketUpgrade.RequestedProtocols(ctx.Request);
            if (!requested.Contains(SpdyTunnelProtocol))
            {
                if (!requested.Contains(ChannelProtocol))
                    throw ApiProblem.BadRequest("Sec-WebSocket-Protocol",
                        $"unsupported WebSocket subprotocol(s) [{string.Join(", ", requested)}]: this server speaks {SpdyTunnelProtocol} and {ChannelProtocol}");
                if (ports.Count is 0 or > MaxChannelPorts)
                    throw ApiProblem.BadRequest("ports", $"{ChannelProtocol} forwards the ports named in ?ports= (1 to {MaxChannelPorts} of them)");
                (clientProtocol, agentProtocol) = (ChannelProtocol, ChannelProtocol);
            }
        }
        else if (upgrade is { IsUpgradableRequest: true } && ctx.Request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase))
        {
            var offered = ctx.Request.Headers[StreamProtocolHeader].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
            if (offered.Count > 0 && !offered.Contains(StreamProtocol))
                throw ApiProblem.BadRequest(StreamProtocolHeader, $"unable to negotiate protocol: client supports [{string.Join(", ", offered)}], server supports [{StreamProtocol}]");
        }
        else
        {
            throw ApiProblem.BadRequest("Upgrade", $"port forwarding needs a WebSocket (subprotocol {SpdyTunnelProtocol}) or an \"Upgrade: SPDY/3.1\" request");
        }

        var pod = (await resources.GetAsync(caller, ResourceKinds.Pod, ns, name, ct)).Body.Deserialize<Pod>(ResourceJson.Options)!;
        if (pod.Status?.Phase is "Succeeded" or "Failed")
            throw ApiProblem.BadRequest("status.phase", $"cannot forward ports to pod {name}: it has completed (phase {pod.Status.Phase})");
        var (nodeName, agent) = await PodAgent.LocateAsync(resources, pod, ct);
        var query = new List<string>();
        if (PodAgent.AgentUid(pod) is { } uid) query.Add("uid=" + Uri.EscapeDataString(uid));
        if (ports.Count > 0) query.Add("ports=" + string.Join(',', ports));
        var url = new Uri($"ws://{agent.Authority}/portForward/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}?{string.Join('&', query)}");

        using var slot = sessions.Enter();
        using var agentSocket = await agents.ConnectAsync(nodeName, url, agentProtocol, ct);
        if (websocket)
        {
            // gorilla (kubectl) answers pings while it reads, which it always does: silence means the client is gone.
            using var client = await WebSocketUpgrade.AcceptAsync(ctx, clientProtocol, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30))
                ?? throw ApiProblem.BadRequest("Sec-WebSocket-Key", "not a valid WebSocket handshake (Sec-WebSocket-Version 13 and a 16-byte Sec-WebSocket-Key are required)");
            await WebSocketRelay.RunAsync(client, agentSocket, ct);
        }
        else
        {
            ctx.Response.Headers.Upgrade = "SPDY/3.1";
            ctx.Response.Headers[StreamProtocolHeader] = StreamProtocol;
            await using var client = await upgrade!.UpgradeAsync();
            await PortForwardRelay.RelayAsync(client, agentSocket, ct);
        }
    }

    /// <summary><c>?ports=</c> (optional for SPDY, where each stream names its port): each a number in 1-65535.</summary>
    private static List<int> Ports(Microsoft.Extensions.Primitives.StringValues values)
    {
        var ports = new List<int>();
        foreach (var p in values.SelectMany(v => (v ?? "").Split(',')))
        {
            if (!ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
                throw ApiProblem.BadRequest("ports", $"'{(p.Length > 16 ? p[..16] + "..." : p)}' is not a port number (1-65535)");
            ports.Add(port);
        }
        return ports;
    }
}
