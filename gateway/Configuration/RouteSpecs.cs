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
        if (e.ValueKind == JsonValueKind.String) return ComponentDefinition.ParseShortcut(e.GetString()!);
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String)
            throw RouteDefinitionException.For(routeId, "spec", "name", "each predicate and filter is 'Name=args' or {name, args}");
        var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (e.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Object) Flatten(a, "", args);
        return new ComponentDefinition(n.GetString()!, args, []);
    }

    private static void Flatten(JsonElement e, string prefix, Dictionary<string, string> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}", into);
                break;
            case JsonValueKind.Array:
                into[prefix] = string.Join(",", e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()));
                break;
            case JsonValueKind.String:
                into[prefix] = e.GetString()!;
                break;
            default:
                into[prefix] = e.GetRawText();
                break;
        }
    }
}
