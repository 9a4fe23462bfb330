using Platform.Contracts.Routing;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Tenancy;

/// <summary>
/// Which Route resources are served when namespaces claim the same hosts and paths, in the spirit of Gateway API's
/// conflict rules: the Route created first (then by <c>namespace/name</c>) keeps its claim; a Route of another
/// namespace whose claim overlaps it is not served, unless the first Route allows that namespace with the
/// <see cref="RouteGrants.AllowRoutesFromAnnotation"/> annotation. Routes of one namespace never conflict with each
/// other (their order decides, as in Spring); the gateway's own routes are not claims (they sort before Route
/// resources of the same order). Pure: every replica, given the same Routes, serves the same ones.
/// </summary>
internal static class RouteClaims
{
    public static (List<RouteDefinition> Served, List<RouteConflict> Conflicts) Resolve(IEnumerable<RouteDefinition> routes)
    {
        var served = new List<RouteDefinition>();
        var conflicts = new List<RouteConflict>();
        var held = new List<(RouteDefinition Route, RouteClaim Claim)>();
        foreach (var route in routes.OrderBy(r => r.CreatedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            if (route.Namespace is not { } ns)
            {
                served.Add(route);
                continue;
            }
            var claim = RouteClaim.Of(route);
            var holder = held.FirstOrDefault(h => h.Route.Namespace != ns && h.Claim.Overlaps(claim) && !RouteGrants.Allows(h.Route.AllowRoutesFrom, ns));
            if (holder.Route is { } first)
            {
                conflicts.Add(new RouteConflict(route.Id, ns, claim.ToString(), first.Id,
                    $"{holder.Claim} is routed by {first.Id}, created first in namespace {first.Namespace}; it is not served unless that Route "
                    + $"allows namespace {ns} (annotation {RouteGrants.AllowRoutesFromAnnotation})"));
                continue;
            }
            held.Add((route, claim));
            served.Add(route);
        }
        return (served, conflicts);
    }
}
