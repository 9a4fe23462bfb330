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
/// </summary>
internal sealed partial class GatewayMatcherPolicy(GatewayRuntime runtime, ILogger<GatewayMatcherPolicy> logger) : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<RouteModel>()?.Config.Metadata?.ContainsKey(GatewayRuntime.GatewayRouteMarker) == true);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var snapshot = runtime.Current;
        var found = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i)) continue;
            var model = candidates[i].Endpoint.Metadata.GetMetadata<RouteModel>();
            if (model?.Config.Metadata?.ContainsKey(GatewayRuntime.GatewayRouteMarker) != true) continue;
            var route = snapshot.Find(model.Config.RouteId);
            if (found || route is null || !Matches(route, httpContext))
            {
                candidates.SetValidity(i, false);
                continue;
            }
            found = true;
            GatewayRequestState.Of(httpContext).Route = route;
        }
        return Task.CompletedTask;
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
