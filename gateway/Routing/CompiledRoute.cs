using Microsoft.AspNetCore.Http;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Predicates;

namespace Platform.Gateway.Routing;

/// <summary>A route ready to serve: its predicates, its filter chain (global and route filters in order) and upstream.</summary>
public sealed class CompiledRoute
{
    internal CompiledRoute(RouteDefinition definition, RoutePredicate[] predicates, IGatewayFilter[] filters, Upstream upstream, TimeSpan? responseTimeout,
        TimeSpan? requestTimeout = null)
    {
        ResponseTimeout = responseTimeout;
        RequestTimeout = requestTimeout;
        Definition = definition;
        Predicates = predicates;
        Filters = filters;
        Upstream = upstream;
    }

    public string Id => Definition.Id;
    public RouteDefinition Definition { get; }
    internal RoutePredicate[] Predicates { get; }
    internal IGatewayFilter[] Filters { get; }
    public Upstream Upstream { get; }
    /// <summary>
    /// Time from the request sent to the response headers, per attempt (so a Retry around it tries again after a
    /// timeout): <c>metadata.response-timeout</c>, else the routes file's or <c>Gateway:HttpClient</c>'s; null when off.
    /// Applied by <see cref="Resilience.ResponseTimeoutMiddleware"/>.
    /// </summary>
    public TimeSpan? ResponseTimeout { get; }

    /// <summary>
    /// Time for the whole request, every filter and attempt included (Gateway API's <c>timeouts.request</c>):
    /// <c>metadata.request-timeout</c> in ms; null when absent. Applied by <see cref="Resilience.RequestTimeoutMiddleware"/>.
    /// </summary>
    public TimeSpan? RequestTimeout { get; }

    /// <summary>
    /// Whether every predicate passes. A predicate regex that runs past <c>Gateway:RegexTimeout</c> throws
    /// <see cref="System.Text.RegularExpressions.RegexMatchTimeoutException"/> with the captured variables already cleared.
    /// </summary>
    public bool Matches(HttpContext context)
    {
        try
        {
            foreach (var p in Predicates)
            {
                if (!p(context))
                {
                    ClearVariables(context);
                    return false;
                }
            }
            return true;
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            ClearVariables(context);
            throw;
        }
    }

    private static void ClearVariables(HttpContext context)
    {
        if (GatewayRequestState.Find(context) is { HasUriVariables: true } state) state.UriVariables.Clear();
    }

    private int _predicateTimeoutLogged;
    private int _filterTimeoutLogged;

    /// <summary>True the first time a regex of this route timed out in a predicate (or filter), so each is logged once per route version.</summary>
    internal bool FirstRegexTimeout(bool inPredicate) =>
        Interlocked.Exchange(ref inPredicate ? ref _predicateTimeoutLogged : ref _filterTimeoutLogged, 1) == 0;

    /// <summary>Runs the filter chain; <paramref name="proxy"/> (YARP's load balancing and forwarder) is its end.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate proxy)
    {
        // YARP's pipeline delegate lives as long as the app, so the chain is composed once, not per request.
        var chain = _chain;
        if (chain is null || !ReferenceEquals(chain.Proxy, proxy))
        {
            chain = new Chain(proxy, Compose(proxy));
            _chain = chain;
        }
        return chain.Entry(context);
    }

    private volatile Chain? _chain;

    private sealed record Chain(RequestDelegate Proxy, GatewayDelegate Entry);

    /// <summary>A <c>no://op</c> route reaches the proxy only when a filter named the request's URL.</summary>
    private Task NoOpAsync(HttpContext context, RequestDelegate proxy) =>
        GatewayRequestState.Find(context)?.RequestUri is not null ? proxy(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable", instance: context.Request.Path,
                detail: $"route {Id} has uri no://op and no filter set this request's URL (SetRequestUri, RequestHeaderToRequestUri)").ExecuteAsync(context);

    private GatewayDelegate Compose(RequestDelegate proxy)
    {
        GatewayDelegate next = Upstream.Scheme == "no" ? c => NoOpAsync(c, proxy) : c => proxy(c);
        for (var i = Filters.Length - 1; i >= 0; i--)
        {
            var filter = Filters[i];
            var rest = next;
            next = c => filter.InvokeAsync(c, rest);
        }
        return next;
    }
}
