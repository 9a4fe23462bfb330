using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using GatewayObject = Platform.Contracts.Resources.GatewayApi.Gateway;

namespace Platform.Gateway.GatewayApi;

/// <summary>
/// Which listeners of which Gateways an HTTPRoute attaches to, as Gateway API decides it: the parentRef names a
/// Gateway of one of this controller's classes, <c>sectionName</c> and <c>port</c> select its listeners, each
/// listener's <c>allowedRoutes</c> (namespaces <c>Same</c>/<c>All</c>/<c>Selector</c>, kinds) admits the route, and
/// the route's hostnames intersect the listener's. Also whether the route's backendRefs resolve: a Service
/// (<c>InvalidKind</c> otherwise), that exists (<c>BackendNotFound</c>), in another namespace only with a
/// ReferenceGrant there (<c>RefNotPermitted</c>).
/// </summary>
internal static class RouteAttachment
{
    /// <summary>One parentRef's outcome: null <see cref="Reason"/> is accepted by <see cref="Listeners"/>.</summary>
    public sealed record Parent(ParentReference Ref, GatewayObject? Gateway, List<Listener> Listeners, string? Reason, string Message);

    public static bool IsGatewayRef(ParentReference p) =>
        (p.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && (p.Kind ?? GatewayApiNames.GatewayKind) == GatewayApiNames.GatewayKind;

    /// <param name="gateway">The Gateway of this controller at (namespace, name), or null.</param>
    /// <param name="namespaceLabels">The labels of a namespace (for <c>from: Selector</c>).</param>
    public static Parent Attach(HttpRoute route, ParentReference p, Func<string, string, GatewayObject?> gateway, Func<string, IReadOnlyDictionary<string, string>?> namespaceLabels)
    {
        var routeNs = route.Metadata.Namespace ?? SystemNamespaces.Default;
        var gwNs = p.Namespace ?? routeNs;
        if (gateway(gwNs, p.Name ?? "") is not { } gw)
            return new(p, null, [], GatewayApiNames.NoMatchingParent, $"no Gateway \"{gwNs}/{p.Name}\" of this controller's classes");
        var candidates = (gw.Spec.Listeners ?? []).Where(l => (p.SectionName is null || l.Name == p.SectionName) && (p.Port is null || l.Port == p.Port)).ToList();
        if (candidates.Count == 0)
            return new(p, gw, [], GatewayApiNames.NoMatchingParent, $"Gateway \"{gwNs}/{p.Name}\" has no listener{(p.SectionName is null ? "" : $" named \"{p.SectionName}\"")}{(p.Port is null ? "" : $" on port {p.Port}")}");
        var allowed = candidates.Where(l => Allows(l, gwNs, routeNs, namespaceLabels)).ToList();
        if (allowed.Count == 0)
            return new(p, gw, [], GatewayApiNames.NotAllowedByListeners, $"no listener of Gateway \"{gwNs}/{p.Name}\" allows HTTPRoutes from namespace \"{routeNs}\"");
        var hosts = route.Spec.Hostnames ?? [];
        var matching = hosts.Count == 0 ? allowed : allowed.Where(l => l.Hostname is null || hosts.Any(h => Intersects(h, l.Hostname))).ToList();
        if (matching.Count == 0)
            return new(p, gw, [], GatewayApiNames.NoMatchingListenerHostname, "no listener's hostname matches the route's hostnames");
        return new(p, gw, matching, null, "Accepted by the gateway");
    }

    private static bool Allows(Listener l, string gwNs, string routeNs, Func<string, IReadOnlyDictionary<string, string>?> namespaceLabels)
    {
        if (l.Protocol is not ("HTTP" or "HTTPS")) return false;
        if (l.AllowedRoutes?.Kinds is { Count: > 0 } kinds
            && !kinds.Any(k => (k.Group ?? GatewayApiNames.Group) == GatewayApiNames.Group && k.Kind == GatewayApiNames.HttpRouteKind))
            return false;
        var ns = l.AllowedRoutes?.Namespaces;
        return (ns?.From ?? "Same") switch
        {
            "All" => true,
            "Selector" => ns!.Selector is { } s && Selector.FromLabelSelector(s).Matches(namespaceLabels(routeNs)),
            _ => gwNs == routeNs,
        };
    }

    /// <summary>Whether two hostnames (either may be <c>*.suffix</c>) can name one host.</summary>
    public static bool Intersects(string a, string b)
    {
        static bool Covers(string wildcard, string host) =>
            wildcard.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(wildcard[1..], StringComparison.OrdinalIgnoreCase) && host.Length > wildcard.Length - 1;
        return string.Equals(a, b, StringComparison.OrdinalIgnoreCase) || Covers(a, b) || Covers(b, a);
    }

    /// <summary>The Host patterns the route serves on <paramref name="listeners"/>; empty: any host.</summary>
    public static List<string> Hostnames(HttpRoute route, IEnumerable<Listener> listeners)
    {
        var list = listeners.ToList();
        var hosts = route.Spec.Hostnames ?? [];
        if (hosts.Count > 0)
            return list.Any(l => l.Hostname is null) ? [.. hosts.Distinct(StringComparer.OrdinalIgnoreCase)]
                : [.. hosts.Where(h => list.Any(l => Intersects(h, l.Hostname!))).Distinct(StringComparer.OrdinalIgnoreCase)];
        return list.Any(l => l.Hostname is null) ? [] : [.. list.Select(l => l.Hostname!).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Why a backendRef cannot be used (reason, message), or null.</summary>
    public static (string Reason, string Message)? Refusal(HttpRoute route, string? group, string? kind, string? name, string? ns,
        Func<string, string, bool> serviceExists, Func<string, IEnumerable<ReferenceGrant>> grants)
    {
        var routeNs = route.Metadata.Namespace ?? SystemNamespaces.Default;
        var target = ns ?? routeNs;
        if ((group ?? "") != "" || (kind ?? "Service") != "Service")
            return (GatewayApiNames.InvalidKind, $"backendRef {group}/{kind} \"{name}\": only Services are served");
        if (target != routeNs && !grants(target).Any(g =>
                (g.Spec.From ?? []).Any(f => f.Group == GatewayApiNames.Group && f.Kind == GatewayApiNames.HttpRouteKind && f.Namespace == routeNs)
                && (g.Spec.To ?? []).Any(t => (t.Group ?? "") == "" && t.Kind == "Service" && (t.Name is null || t.Name == name))))
            return (GatewayApiNames.RefNotPermitted, $"backendRef to Service \"{target}/{name}\" is not permitted by any ReferenceGrant in namespace \"{target}\"");
        if (!serviceExists(target, name ?? ""))
            return (GatewayApiNames.BackendNotFound, $"Service \"{target}/{name}\" not found");
        return null;
    }
}
