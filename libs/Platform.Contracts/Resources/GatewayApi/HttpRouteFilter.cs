namespace Platform.Contracts.Resources.GatewayApi;

/// <summary>
/// A filter of an HTTPRoute rule or backend: <see cref="Type"/> names it and the field of the same name carries its
/// settings (<c>RequestHeaderModifier</c>, <c>ResponseHeaderModifier</c>, <c>RequestRedirect</c>, <c>URLRewrite</c>,
/// <c>RequestMirror</c>, <c>ExtensionRef</c>).
/// </summary>
public sealed record HttpRouteFilter
{
    public string? Type { get; init; }
    public HttpHeaderFilter? RequestHeaderModifier { get; init; }
    public HttpHeaderFilter? ResponseHeaderModifier { get; init; }
    public HttpRequestRedirectFilter? RequestRedirect { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("urlRewrite")]
    public HttpUrlRewriteFilter? UrlRewrite { get; init; }
    public HttpRequestMirrorFilter? RequestMirror { get; init; }
    public LocalObjectReference? ExtensionRef { get; init; }
}

/// <summary>Header changes: <c>set</c> replaces, <c>add</c> appends, <c>remove</c> deletes (names case-insensitive).</summary>
public sealed record HttpHeaderFilter
{
    public List<GatewayHttpHeader>? Set { get; init; }
    public List<GatewayHttpHeader>? Add { get; init; }
    public List<string>? Remove { get; init; }
}

/// <summary>A header name and value.</summary>
public sealed record GatewayHttpHeader
{
    public string? Name { get; init; }
    public string? Value { get; init; }
}

/// <summary>A redirect answered by the gateway: any of scheme, hostname, path, port changed; status 301 (default) or 302.</summary>
public sealed record HttpRequestRedirectFilter
{
    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string? Scheme { get; init; }
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
    public int? Port { get; init; }
    /// <summary>301 (default), 302, 303, 307 or 308.</summary>
    public int? StatusCode { get; init; }
}

/// <summary>A path change: <c>ReplaceFullPath</c> with <c>replaceFullPath</c>, or <c>ReplacePrefixMatch</c> with <c>replacePrefixMatch</c> (the matched PathPrefix replaced).</summary>
public sealed record HttpPathModifier
{
    public string? Type { get; init; }
    public string? ReplaceFullPath { get; init; }
    public string? ReplacePrefixMatch { get; init; }
}

/// <summary>A rewrite of the request sent to the backend: its Host header and path.</summary>
public sealed record HttpUrlRewriteFilter
{
    public string? Hostname { get; init; }
    public HttpPathModifier? Path { get; init; }
}

/// <summary>A copy of each request sent to another backend (its answer dropped).</summary>
public sealed record HttpRequestMirrorFilter
{
    public BackendObjectReference? BackendRef { get; init; }
    /// <summary>The percentage of requests mirrored, 0 to 100 (default: all).</summary>
    public int? Percent { get; init; }
}

/// <summary>A backend by group, kind (default Service), name, namespace and port.</summary>
public sealed record BackendObjectReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public string? Namespace { get; init; }
    public int? Port { get; init; }
}

/// <summary>A reference to an object in the same namespace, by group, kind and name.</summary>
public sealed record LocalObjectReference
{
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public string? Name { get; init; }
}
