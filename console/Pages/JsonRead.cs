using System.Globalization;
using System.Text.Json.Nodes;

namespace Platform.Console.Pages;

/// <summary>Small readers of Kubernetes objects as JSON, for the views.</summary>
internal static class JsonRead
{
    public static string? Str(this JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node is JsonValue v ? v.ToString() : null;
    }

    public static long Int(this JsonNode? node, params string[] path) =>
        long.TryParse(node.Str(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node is JsonObject o ? o[p] : null;
        return node is JsonArray a ? a.OfType<JsonObject>() : [];
    }

    public static string Name(this JsonObject o) => o.Str("metadata", "name") ?? "";
    public static string Ns(this JsonObject o) => o.Str("metadata", "namespace") ?? "";

    /// <summary>kubectl's AGE column: 5s, 3m, 2h, 4d.</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null) return "";
        var d = now - since.Value;
        return d.TotalSeconds < 120 ? $"{Math.Max(0, (int)d.TotalSeconds)}s" : d.TotalMinutes < 120 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h" : $"{(int)d.TotalDays}d";
    }

    public static string Age(this JsonObject o, DateTimeOffset now, params string[] path) =>
        Age(DateTimeOffset.TryParse(o.Str(path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null, now);

    public static string? Condition(this JsonObject o, string type) =>
        o.Objects("status", "conditions").FirstOrDefault(c => c.Str("type") == type)?.Str("status");
}
