namespace Platform.Gateway.GatewayApi.Listeners;

/// <summary>Where a listener port is served: the gateway's own HTTP or HTTPS endpoint, or a port bound for Gateways.</summary>
internal readonly record struct ListenerTarget(ListenerTargetKind Kind, int Port)
{
    public static readonly ListenerTarget OwnHttp = new(ListenerTargetKind.OwnHttp, 0);
    public static readonly ListenerTarget OwnHttps = new(ListenerTargetKind.OwnHttps, 0);

    public static ListenerTarget Bound(int port) => new(ListenerTargetKind.Bound, port);
}

internal enum ListenerTargetKind
{
    /// <summary>The gateway's HTTP endpoint (<c>urls</c>, 8080), its port known once Kestrel listens.</summary>
    OwnHttp,
    /// <summary>The gateway's HTTPS endpoint (<c>Gateway:Ingress:HttpsUrl</c>, 8443).</summary>
    OwnHttps,
    /// <summary>A port bound at runtime while a listener claims it.</summary>
    Bound,
}
