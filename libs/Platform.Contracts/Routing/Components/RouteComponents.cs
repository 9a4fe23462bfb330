using System.Text.Json;

namespace Platform.Contracts.Routing;

/// <summary>A predicate or filter of a <see cref="RouteSpec"/> (JSON) as a <see cref="ComponentDefinition"/>.</summary>
public static class RouteComponents
{
    /// <summary>
    /// <c>"Path=/a/**"</c> (Spring's shortcut) or <c>{"name": "Path", "args": {...}}</c>, nested args flattened with
    /// dots and lists joined with commas, as the routes file's YAML is read.
    /// </summary>
    public static ComponentDefinition FromJson(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } text) return ComponentDefinition.ParseShortcut(text);
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || n.GetString()!.Length == 0)
            throw new GatewayArgumentException("name", "each predicate and filter is a shortcut string (Path=/a/**) or an object with a name and args");
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
