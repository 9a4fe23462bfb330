using Platform.Gateway.Configuration;

namespace Platform.Gateway.Tenancy;

/// <summary>
/// The hosts and paths a route can serve, read from its <c>Host</c> and <c>Path</c> predicates (every host without
/// a Host predicate, every path without a Path predicate). Other predicates only narrow a route further and are not
/// read, so a claim is never smaller than what the route can match.
/// </summary>
internal sealed record RouteClaim(IReadOnlyList<HostClaim> Hosts, IReadOnlyList<PathClaim> Paths)
{
    public static RouteClaim Of(RouteDefinition route)
    {
        var hosts = Patterns(route, "Host").Select(HostClaim.Of).ToList();
        var paths = Patterns(route, "Path").Select(PathClaim.Of).ToList();
        return new RouteClaim(hosts.Count > 0 ? hosts : [HostClaim.Any], paths.Count > 0 ? paths : [PathClaim.Everything]);
    }

    public bool Overlaps(RouteClaim other) =>
        Hosts.Any(h => other.Hosts.Any(h.Overlaps)) && Paths.Any(p => other.Paths.Any(p.Overlaps));

    public override string ToString() =>
        (Hosts is [{ Wildcard: true, Suffix.Length: 0 }] ? "" : $"Host={string.Join(",", Hosts)} ") + $"Path={string.Join(",", Paths)}";

    /// <summary>The patterns of every predicate of that name, read as the Path and Host factories read them (<c>patterns</c>, <c>pattern</c>).</summary>
    private static IEnumerable<string> Patterns(RouteDefinition route, string predicate) =>
        route.Predicates.Where(p => string.Equals(p.Name, predicate, StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => (new ComponentArgs(p, ["patterns"], ShortcutType.GatherList).FindAny("patterns", "pattern") ?? "")
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
