using System.Text.Json;
using Platform.Contracts.Routing;

namespace Platform.Gateway.Configuration;

/// <summary>Turns a <see cref="RouteSpec"/> (a Route resource's spec, an admin API body) into a <see cref="RouteDefinition"/>.</summary>
internal static class RouteSpecs
{
    public static RouteDefinition ToDefinition(string id, RouteSpec spec, string source) => new()
    {
        Id = id,
        Uri = spec.Uri,
        Order = spec.Order,
        Source = source,
        Predicates = spec.Predicates.Select(p => FromJson(id, p)).ToList(),
        Filters = spec.Filters.Select(f => FromJson(id, f)).ToList(),
        Metadata = spec.Metadata?.ToDictionary(m => m.Key, m => m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText())
            ?? new Dictionary<string, string>(),
    };

    private static ComponentDefinition FromJson(string routeId, JsonElement e)
    {
        try { return RouteComponents.FromJson(e); }
        catch (GatewayArgumentException ex) { throw RouteDefinitionException.For(routeId, "spec", ex.Argument, ex.Message); }
    }
}
