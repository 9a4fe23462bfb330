using Platform.Contracts.Resources;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Ingresses;

/// <summary>
/// One Ingress as gateway routes: a route per rule path (<c>Host</c> and <c>Path</c> predicates, the Service as its
/// <c>lb://</c> backend in the Ingress's namespace) and one for the default backend. The order follows Kubernetes'
/// precedence: a rule with a host before one without, <c>Exact</c> before <c>Prefix</c>, a longer path before a
/// shorter one, the default backend last. A path the gateway cannot serve is reported, not guessed at.
/// </summary>
internal static class IngressRoutes
{
    /// <summary>Ingress routes sort after the routes file's and Route resources' low orders and before their catch-alls.</summary>
    public const int BaseOrder = 2000;
    public const int DefaultBackendOrder = 9000;
    public const string MetadataKey = "ingress";

    /// <summary>The id prefix of every route made from one Ingress (route ids of Route resources have no <c>#</c>).</summary>
    public static string GroupOf(string ns, string name) => $"{ns}/{name}#";

    public static (List<RouteDefinition> Routes, List<string> Problems) For(Ingress ingress)
    {
        var ns = ingress.Metadata.Namespace ?? SystemNamespaces.Default;
        var name = ingress.Metadata.Name!;
        var group = GroupOf(ns, name);
        List<RouteDefinition> routes = [];
        List<string> problems = [];
        var rules = ingress.Spec.Rules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var paths = rules[i].Http?.Paths ?? [];
            for (var j = 0; j < paths.Count; j++)
            {
                var where = $"spec.rules[{i}].http.paths[{j}]";
                if (Path(paths[j], where, problems) is not { } path || Backend(paths[j].Backend, where + ".backend", problems) is not { } backend)
                    continue;
                List<ComponentDefinition> predicates = [path.Predicate];
                if (rules[i].Host is { Length: > 0 } host) predicates.Insert(0, ComponentDefinition.ParseShortcut("Host=" + host));
                routes.Add(Route(ingress, $"{group}{i}.{j}", backend, Order(rules[i].Host, path), predicates));
            }
        }
        if (ingress.Spec.DefaultBackend is { } fallback && Backend(fallback, "spec.defaultBackend", problems) is { } defaultBackend)
            routes.Add(Route(ingress, group + "default", defaultBackend, DefaultBackendOrder, [ComponentDefinition.ParseShortcut("Path=/**")]));
        return (routes, problems);
    }

    private static RouteDefinition Route(Ingress ingress, string id, (string Uri, string? Port) backend, int order, List<ComponentDefinition> predicates) => new()
    {
        Id = id,
        Uri = backend.Uri,
        BackendPort = backend.Port,
        Order = order,
        Source = RouteSources.Ingress,
        Predicates = predicates,
        Namespace = ingress.Metadata.Namespace ?? SystemNamespaces.Default,
        CreatedAt = ingress.Metadata.CreationTimestamp,
        Metadata = new Dictionary<string, string> { [MetadataKey] = $"{ingress.Metadata.Namespace}/{ingress.Metadata.Name}" },
    };

    private sealed record IngressPath(ComponentDefinition Predicate, bool Exact, int Length);

    private static IngressPath? Path(HttpIngressPath p, string where, List<string> problems)
    {
        var path = p.Path is { Length: > 0 } value ? value : "/";
        if (path.IndexOfAny(['*', '?', '{', '}', ',', ' ']) >= 0)
        {
            problems.Add($"{where}.path: \"{path}\" has characters the gateway reads as a pattern (* ? {{ }} , or a space); not served");
            return null;
        }
        if (p.PathType == "Exact")
            return new(ComponentDefinition.ParseShortcut("Path=" + path), true, path.Length);
        // Prefix (and ImplementationSpecific): element-wise, "/foo" is "/foo" and everything under "/foo/"; a trailing
        // slash is ignored, "/" is everything.
        var trimmed = path.TrimEnd('/');
        var predicate = trimmed.Length == 0 ? "Path=/**" : $"Path={trimmed},{trimmed}/**";
        return new(ComponentDefinition.ParseShortcut(predicate), false, trimmed.Length);
    }

    /// <summary>The Service as <c>lb://NAME</c> and the port it names (<c>port.number</c>, else <c>port.name</c>).</summary>
    private static (string Uri, string? Port)? Backend(IngressBackend? backend, string where, List<string> problems)
    {
        if (backend?.Service is not { Name: { Length: > 0 } service })
        {
            problems.Add($"{where}: only Service backends are served by the gateway");
            return null;
        }
        var port = backend.Service.Port is { } p
            ? p.Number is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : p.Name is { Length: > 0 } name ? name : null
            : null;
        return ("lb://" + service, port);
    }

    private static int Order(string? host, IngressPath path) =>
        BaseOrder + (host is { Length: > 0 } ? 0 : 2000) + (path.Exact ? 0 : 1000) + (999 - Math.Min(path.Length, 999));
}
