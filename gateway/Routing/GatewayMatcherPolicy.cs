using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Yarp.ReverseProxy.Model;

namespace Platform.Gateway.Routing;

/// <summary>
/// Applies the gateway's predicates during endpoint selection. Gateway routes all share one catch-all template
/// and differ only by order, so candidates arrive sorted by route order; the first whose predicates pass wins and
/// the others are rejected (Spring's first-match semantics rather than ASP.NET's most-specific-template).
/// </summary>
internal sealed class GatewayMatcherPolicy(GatewayRuntime runtime) : MatcherPolicy, IEndpointSelectorPolicy
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
            if (found || route is null || !route.Matches(httpContext))
            {
                candidates.SetValidity(i, false);
                continue;
            }
            found = true;
            GatewayRequestState.Of(httpContext).Route = route;
        }
        return Task.CompletedTask;
    }
}
