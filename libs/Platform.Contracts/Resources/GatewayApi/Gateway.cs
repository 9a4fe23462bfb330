namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// <c>gateway.networking.k8s.io/v1 Gateway</c>: listeners (port, protocol, hostname) of a <see cref="GatewayClass"/>
/// and which namespaces' routes may attach to each. Status: <c>Accepted</c> and <c>Programmed</c>, and per listener
/// <c>Accepted</c>, <c>Programmed</c>, <c>ResolvedRefs</c> with the number of attached routes.
/// </summary>
public sealed record Gateway : Resource
{
    public GatewaySpec Spec { get; init; } = new();
    public GatewayStatus? Status { get; init; }
}

/// <summary><c>spec</c> of a <see cref="Gateway"/>.</summary>
public sealed record GatewaySpec
{
    /// <summary>The GatewayClass this Gateway belongs to.</summary>
    public string? GatewayClassName { get; init; }
    /// <summary>The logical endpoints bound on this Gateway's addresses: 1 to 64, names unique.</summary>
    public List<Listener>? Listeners { get; init; }
    /// <summary>Addresses requested for the Gateway (the platform's gateway reports its own).</summary>
    public List<GatewayAddress>? Addresses { get; init; }
}

/// <summary>A listener: a port, a protocol and optionally a hostname that routes attach to.</summary>
public sealed record Listener
{
    /// <summary>Unique within the Gateway; routes name it in <c>parentRefs[].sectionName</c>.</summary>
    public string? Name { get; init; }
    /// <summary>The host names this listener serves (<c>*.example.com</c> matches one or more labels); none: every host.</summary>
    public string? Hostname { get; init; }
    /// <summary>The network port, 1 to 65535.</summary>
    public int? Port { get; init; }
    /// <summary><c>HTTP</c>, <c>HTTPS</c>, <c>TLS</c>, <c>TCP</c> or <c>UDP</c> (the platform's gateway serves HTTP and HTTPS).</summary>
    public string? Protocol { get; init; }
    /// <summary>TLS settings of an HTTPS or TLS listener.</summary>
    public GatewayTlsConfig? Tls { get; init; }
    /// <summary>Which routes may attach: their namespaces and kinds. Unset: HTTPRoutes of the Gateway's namespace.</summary>
    public AllowedRoutes? AllowedRoutes { get; init; }
}

/// <summary>TLS of a listener: <c>Terminate</c> or <c>Passthrough</c> with certificate references.</summary>
public sealed record GatewayTlsConfig
{
    public string? Mode { get; init; }
    public List<SecretObjectReference>? CertificateRefs { get; init; }
}

/// <summary>A reference to a Secret (or another kind) holding a certificate.</summary>
public sealed record SecretObjectReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>The routes a listener accepts.</summary>
public sealed record AllowedRoutes
{
    /// <summary>The namespaces routes may attach from. Unset: <c>from: Same</c>.</summary>
    public RouteNamespaces? Namespaces { get; init; }
    /// <summary>The route kinds accepted. Unset: the kinds the protocol serves (<c>HTTPRoute</c> for HTTP and HTTPS).</summary>
    public List<RouteGroupKind>? Kinds { get; init; }
}

/// <summary>Where attaching routes may live: <c>Same</c> (the Gateway's namespace), <c>All</c>, or <c>Selector</c>.</summary>
public sealed record RouteNamespaces
{
    /// <summary><c>All</c>, <c>Same</c> (default) or <c>Selector</c>.</summary>
    public string? From { get; init; }
    /// <summary>The namespaces' labels, with <c>from: Selector</c>.</summary>
    public LabelSelector? Selector { get; init; }
}

/// <summary>A route kind, by group (default <c>gateway.networking.k8s.io</c>) and kind.</summary>
public sealed record RouteGroupKind
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
}

/// <summary>An address of a Gateway: <c>IPAddress</c> or <c>Hostname</c> and its value.</summary>
public sealed record GatewayAddress
{
    public string? Type { get; init; }
    public string? Value { get; init; }
}

/// <summary><c>status</c> of a <see cref="Gateway"/>.</summary>
public sealed record GatewayStatus
{
    /// <summary>The addresses the Gateway is reachable on.</summary>
    public List<GatewayAddress>? Addresses { get; init; }
    /// <summary><c>Accepted</c> and <c>Programmed</c>.</summary>
    public List<Condition>? Conditions { get; init; }
    /// <summary>Per listener: kinds served, routes attached and conditions.</summary>
    public List<ListenerStatus>? Listeners { get; init; }
}

/// <summary>The status of one listener.</summary>
public sealed record ListenerStatus
{
    public string? Name { get; init; }
    /// <summary>The route kinds this listener serves.</summary>
    public List<RouteGroupKind>? SupportedKinds { get; init; }
    /// <summary>How many routes are attached to this listener (accepted by it).</summary>
    public int AttachedRoutes { get; init; }
    /// <summary><c>Accepted</c>, <c>Programmed</c>, <c>ResolvedRefs</c> (reasons <c>UnsupportedProtocol</c>, <c>InvalidRouteKinds</c> ...).</summary>
    public List<Condition>? Conditions { get; init; }
}
