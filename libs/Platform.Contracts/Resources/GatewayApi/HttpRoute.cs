namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// <c>gateway.networking.k8s.io/v1 HTTPRoute</c>: HTTP rules (path, header, query and method matches; filters;
/// weighted backendRefs to Services) attached to Gateways through <see cref="HttpRouteSpec.ParentRefs"/>. Its status
/// lists each parent with <c>Accepted</c> (reasons <c>NotAllowedByListeners</c>, <c>NoMatchingParent</c>,
/// <c>NoMatchingListenerHostname</c>) and <c>ResolvedRefs</c> (reasons <c>BackendNotFound</c>, <c>RefNotPermitted</c>,
/// <c>InvalidKind</c>).
/// </summary>
public sealed record HttpRoute : Resource
{
    public HttpRouteSpec Spec { get; init; } = new();
    public HttpRouteStatus? Status { get; init; }
}

/// <summary><c>spec</c> of an <see cref="HttpRoute"/>.</summary>
public sealed record HttpRouteSpec
{
    /// <summary>The Gateways (and listeners, by <c>sectionName</c>) this route attaches to; at most 32.</summary>
    public List<ParentReference>? ParentRefs { get; init; }
    /// <summary>The Host header values this route serves (<c>*.example.com</c> matches subdomains); none: the listeners' hostnames.</summary>
    public List<string>? Hostnames { get; init; }
    /// <summary>The rules, at most 16. Unset: one rule sending <c>PathPrefix /</c> nowhere (404).</summary>
    public List<HttpRouteRule>? Rules { get; init; }
}

/// <summary>A reference to a parent of a route: a Gateway by default, optionally one listener (<c>sectionName</c>) or port.</summary>
public sealed record ParentReference
{
    /// <summary>Default <c>gateway.networking.k8s.io</c>.</summary>
    public string? Group { get; init; }
    /// <summary>Default <c>Gateway</c>.</summary>
    public string? Kind { get; init; }
    /// <summary>Default: the route's namespace.</summary>
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    /// <summary>The listener's name; unset: every listener of the Gateway.</summary>
    public string? SectionName { get; init; }
    /// <summary>Attach only to listeners on this port.</summary>
    public int? Port { get; init; }
}

/// <summary>A rule: requests matching any of <see cref="Matches"/> pass through <see cref="Filters"/> to <see cref="BackendRefs"/>.</summary>
public sealed record HttpRouteRule
{
    /// <summary>An optional name of the rule.</summary>
    public string? Name { get; init; }
    /// <summary>Conditions ORed together, at most 64; unset: <c>PathPrefix /</c>.</summary>
    public List<HttpRouteMatch>? Matches { get; init; }
    /// <summary>Filters applied to every request of the rule, at most 16.</summary>
    public List<HttpRouteFilter>? Filters { get; init; }
    /// <summary>Where requests go, picked by weight; none (or none resolvable): 500.</summary>
    public List<HttpBackendRef>? BackendRefs { get; init; }
    /// <summary>Request and backend-request timeouts (Gateway API durations such as <c>10s</c>).</summary>
    public HttpRouteTimeouts? Timeouts { get; init; }
}

/// <summary>Timeouts of a rule, as Gateway API durations (<c>1h</c>, <c>10s</c>, <c>500ms</c>).</summary>
public sealed record HttpRouteTimeouts
{
    public string? Request { get; init; }
    public string? BackendRequest { get; init; }
}

/// <summary>One match: every condition given must hold (path, headers, query parameters, method).</summary>
public sealed record HttpRouteMatch
{
    /// <summary>Default <c>PathPrefix /</c>.</summary>
    public HttpPathMatch? Path { get; init; }
    public List<HttpHeaderMatch>? Headers { get; init; }
    public List<HttpQueryParamMatch>? QueryParams { get; init; }
    /// <summary><c>GET</c>, <c>HEAD</c>, <c>POST</c>, <c>PUT</c>, <c>DELETE</c>, <c>CONNECT</c>, <c>OPTIONS</c>, <c>TRACE</c> or <c>PATCH</c>.</summary>
    public string? Method { get; init; }
}

/// <summary>A path condition: <c>Exact</c>, <c>PathPrefix</c> (whole segments; the default) or <c>RegularExpression</c>.</summary>
public sealed record HttpPathMatch
{
    public string? Type { get; init; }
    /// <summary>An absolute path (default <c>/</c>), or a regular expression.</summary>
    public string? Value { get; init; }
}

/// <summary>A header condition: <c>Exact</c> (default) or <c>RegularExpression</c> on a header's value (names case-insensitive).</summary>
public sealed record HttpHeaderMatch
{
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Value { get; init; }
}

/// <summary>A query parameter condition: <c>Exact</c> (default) or <c>RegularExpression</c> (names case-sensitive).</summary>
public sealed record HttpQueryParamMatch
{
    public string? Type { get; init; }
    public string? Name { get; init; }
    public string? Value { get; init; }
}

/// <summary>A backend: a Service (default kind) and port, its share among the rule's backends and its own filters.</summary>
public sealed record HttpBackendRef
{
    /// <summary>Default <c>""</c> (core).</summary>
    public string? Group { get; init; }
    /// <summary>Default <c>Service</c>.</summary>
    public string? Kind { get; init; }
    public string? Name { get; init; }
    /// <summary>Another namespace's Service: allowed only by a ReferenceGrant there.</summary>
    public string? Namespace { get; init; }
    /// <summary>The Service's port; required for Services.</summary>
    public int? Port { get; init; }
    /// <summary>The relative share of requests, 0 to 1,000,000 (default 1; 0: none).</summary>
    public int? Weight { get; init; }
    /// <summary>Filters applied only to requests sent to this backend.</summary>
    public List<HttpRouteFilter>? Filters { get; init; }
}

/// <summary><c>status</c> of an <see cref="HttpRoute"/>: one entry per parent the route names and a controller handles.</summary>
public sealed record HttpRouteStatus
{
    public List<RouteParentStatus>? Parents { get; init; }
}

/// <summary>A route's status with one parent: <c>Accepted</c> and <c>ResolvedRefs</c>, written by <see cref="ControllerName"/>.</summary>
public sealed record RouteParentStatus
{
    public ParentReference? ParentRef { get; init; }
    /// <summary>The controller that wrote this entry (<c>platform.io/gateway-controller</c>).</summary>
    public string? ControllerName { get; init; }
    public List<Condition>? Conditions { get; init; }
}
