using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Routing;

/// <summary>
/// Applies the gateway's predicates during endpoint selection. Gateway routes all share one catch-all template
/// and differ only by order, so candidates arrive sorted by route order; the first whose predicates pass wins and
/// the others are rejected (Spring's first-match semantics rather than ASP.NET's most-specific-template).
/// A predicate whose regex times out (<c>Gateway:RegexTimeout</c>) counts as not matching; it is logged once per route.
/// On a port bound for Gateway listeners only HTTPRoutes' routes answer (<see cref="GatewayApiOnlyPorts"/>): not Route
/// resources, not Ingresses, and not the gateway's own endpoints (actuator, health, metrics, the fleet rate limit), so an
/// HTTPRoute for <c>/healthz</c> reaches its backend there and only "no route matches" is left when none does.
/// </summary>
internal sealed partial class GatewayMatcherPolicy(GatewayRuntime runtime, GatewayApiOnlyPorts gatewayApiOnly, ILogger<GatewayMatcherPolicy> logger)
    : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    // Wherever a gateway route or one of the gateway's own endpoints is a candidate (the fallback alone needs nothing).
    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<NoRouteMatched>() is null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var snapshot = runtime.Current;
        var found = false;
        var onlyGatewayApi = gatewayApiOnly.Contains(httpContext.Connection.LocalPort);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            var metadata = candidates[i].Endpoint.Metadata;
            var model = metadata.GetMetadata<RouteModel>();
            if (model?.Config.Metadata?.ContainsKey(GatewayRuntime.GatewayRouteMarker) != true)
            {
                if (onlyGatewayApi && metadata.GetMetadata<NoRouteMatched>() is null) candidates.SetValidity(i, false);
                continue;
            }
            var route = snapshot.Find(model.Config.RouteId);
            if (found || route is null || !GatewayApiOnlyPorts.Serves(route, onlyGatewayApi) || !Matches(route, httpContext))
            {
                candidates.SetValidity(i, false);
                continue;
            }
            found = true;
            GatewayRequestState.Of(httpContext).Route = route;
        }
        return Task.CompletedTask;
    }

    /// <summary>Marks the fallback endpoint, which answers 404 when no gateway route matches, on every port.</summary>
    public sealed class NoRouteMatched
    {
        public static readonly NoRouteMatched Instance = new();
    }

    private bool Matches(CompiledRoute route, HttpContext context)
    {
        try
        {
            return route.Matches(context);
        }
        catch (RegexMatchTimeoutException ex)
        {
            if (route.FirstRegexTimeout(inPredicate: true)) LogPredicateTimeout(logger, route.Id, ex.MatchTimeout.TotalMilliseconds);
            return false;
        }
    }

    [LoggerMessage(EventId = 9501, Level = LogLevel.Warning,
        Message = "route {RouteId}: a predicate regex timed out after {TimeoutMs} ms (Gateway:RegexTimeout); treated as no match (logged once per route)")]
    private static partial void LogPredicateTimeout(ILogger logger, string routeId, double timeoutMs);
}
