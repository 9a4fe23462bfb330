using Platform.Gateway.Configuration;
using Platform.Gateway.Tenancy;

namespace Platform.Gateway.Routing;

/// <summary>Routes that come and go together: the routes made from one Ingress replace each other in one compile.</summary>
public sealed partial class GatewayRuntime
{
    /// <summary>
    /// Replaces every <paramref name="source"/> route whose id starts with <paramref name="groupPrefix"/> by
    /// <paramref name="routes"/> (none: removes the group); throws <see cref="RouteDefinitionException"/> and keeps
    /// the old group when the new one does not compile.
    /// </summary>
    public void ReplaceGroup(string source, string groupPrefix, IReadOnlyList<RouteDefinition> routes)
    {
        lock (_gate)
        {
            var next = WithGroup(source, groupPrefix, routes);
            var (compiled, conflicts) = CompileAll(_file, next.Values);
            _dynamic.Clear();
            foreach (var (id, route) in next) _dynamic[id] = route;
            Publish(compiled, conflicts, $"{source} {groupPrefix}");
        }
    }

    /// <summary>Why <see cref="ReplaceGroup"/> would reject these routes now, or null.</summary>
    public string? CheckGroup(string source, string groupPrefix, IReadOnlyList<RouteDefinition> routes)
    {
        lock (_gate)
        {
            try
            {
                CompileAll(_file, WithGroup(source, groupPrefix, routes).Values);
                return null;
            }
            catch (RouteDefinitionException ex)
            {
                return ex.Message;
            }
        }
    }

    /// <summary>The conflicts (claims held by another namespace) of the routes of a group.</summary>
    public IReadOnlyList<RouteConflict> ConflictsOf(string groupPrefix) =>
        [.. Conflicts.Where(c => c.RouteId.StartsWith(groupPrefix, StringComparison.Ordinal))];

    private Dictionary<string, RouteDefinition> WithGroup(string source, string groupPrefix, IReadOnlyList<RouteDefinition> routes)
    {
        var next = new Dictionary<string, RouteDefinition>(_dynamic, StringComparer.Ordinal);
        foreach (var (id, held) in _dynamic)
            if (held.Source == source && id.StartsWith(groupPrefix, StringComparison.Ordinal))
                next.Remove(id);
        foreach (var route in routes)
        {
            if (next.TryGetValue(route.Id, out var held) && held.Source != route.Source)
                throw RouteDefinitionException.For(route.Id, "route", "id", $"already defined by {RouteSources.Describe(held.Source)}; change it there");
            next[route.Id] = route;
        }
        return next;
    }
}
