using System.Text.Json.Serialization;
using Platform.Gateway.Configuration;
using Platform.Gateway.Routing;

namespace Platform.Gateway.Admin;

/// <summary>A route in the shape of Spring's <c>/actuator/gateway/routes</c>.</summary>
internal sealed record RouteView(
    [property: JsonPropertyName("route_id")] string RouteId,
    [property: JsonPropertyName("uri")] string Uri,
    [property: JsonPropertyName("order")] int Order,
    [property: JsonPropertyName("predicate")] string Predicate,
    [property: JsonPropertyName("filters")] IReadOnlyList<string> Filters,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("namespace")] string? Namespace)
{
    public static RouteView From(CompiledRoute r, IReadOnlyList<ComponentDefinition> defaults) => new(
        r.Id, r.Definition.Uri, r.Definition.Order,
        string.Join(" && ", r.Definition.Predicates.Select(p => p.ToString())),
        defaults.Concat(r.Definition.Filters).Select(f => f.ToString()).ToList(),
        r.Definition.Metadata, r.Definition.Source, r.Definition.Namespace);
}
