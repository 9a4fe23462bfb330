using Microsoft.AspNetCore.Http;

namespace Platform.Gateway.Routing;

/// <summary>
/// Per-request state shared by predicates, filters and the YARP transforms (Spring keeps these as exchange
/// attributes): the matched route, URI template variables, and flags a filter sets for the forwarder.
/// </summary>
public sealed class GatewayRequestState
{
    public CompiledRoute? Route { get; set; }

    /// <summary>Variables captured by <c>Path={segment}</c>/<c>Host={sub}.x</c>, used by SetPath, AddRequestHeader ...</summary>
    public Dictionary<string, string> UriVariables => _uriVariables ??= new(StringComparer.Ordinal);

    private Dictionary<string, string>? _uriVariables;

    internal bool HasUriVariables => _uriVariables is { Count: > 0 };

    /// <summary>The route picked for each Weight group in this request.</summary>
    internal Dictionary<string, string>? WeightChoices { get; set; }

    /// <summary>
    /// Decides, from the upstream status, whether its body is dropped so that a retry or fallback can still
    /// write the response (set by Retry and CircuitBreaker around the forwarder).
    /// </summary>
    internal Func<int, bool>? SuppressUpstreamBody { get; set; }

    /// <summary>Set by a route's <c>Retry</c> filter: its policy governs, so the transparent connection retry stays out.</summary>
    internal bool RetriedByRoute { get; set; }

    /// <summary>Called when the upstream's response headers arrive (stops the response timeout of the attempt).</summary>
    internal Action? UpstreamAnswered { get; set; }

    /// <summary>Why the request was sent to a fallback (FallbackHeaders reports it).</summary>
    public Exception? FallbackException { get; set; }

    /// <summary>The bearer token validated by JwtAuthentication, forwarded only when TokenRelay asks.</summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// The URL the request is sent to instead of the route's (Spring's <c>GATEWAY_REQUEST_URL_ATTR</c> as set by
    /// SetRequestUri and RequestHeaderToRequestUri); applied by the YARP request transform.
    /// </summary>
    public Uri? RequestUri { get; set; }

    /// <summary>The <c>Host</c> header sent upstream (SetRequestHostHeader), instead of the destination's.</summary>
    public string? RequestHost { get; set; }

    /// <summary>The request body read by CacheRequestBody (Spring's <c>CACHED_REQUEST_BODY_ATTR</c>); the upstream still gets it.</summary>
    public ReadOnlyMemory<byte>? CachedRequestBody { get; set; }

    public static GatewayRequestState Of(HttpContext context)
    {
        var state = context.Features.Get<GatewayRequestState>();
        if (state is null)
        {
            state = new GatewayRequestState();
            context.Features.Set(state);
        }
        return state;
    }

    public static GatewayRequestState? Find(HttpContext context) => context.Features.Get<GatewayRequestState>();

    /// <summary>Replaces <c>{name}</c> in <paramref name="template"/> with captured URI variables.</summary>
    public string Expand(string template)
    {
        if (!HasUriVariables || !template.Contains('{', StringComparison.Ordinal)) return template;
        foreach (var (k, v) in UriVariables) template = template.Replace("{" + k + "}", v, StringComparison.Ordinal);
        return template;
    }
}
