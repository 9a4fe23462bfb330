using System.Text.Json.Nodes;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's cells for EndpointSlices and Endpoints: at most three entries, then <c>+ N more...</c>.</summary>
internal static class EndpointColumns
{
    private const int Shown = 3;

    public static string SlicePorts(JsonObject o)
    {
        var ports = o["ports"] as JsonArray ?? [];
        if (ports.Count == 0) return "<unset>";
        return string.Join(",", ports.Select(p => p?["port"]?.ToString() ?? "<unset>"));
    }

    public static string SliceEndpoints(JsonObject o) =>
        Limit((o["endpoints"] as JsonArray ?? []).Select(e => (e?["addresses"] as JsonArray)?.FirstOrDefault()?.ToString()).OfType<string>().ToList());

    public static string Endpoints(JsonObject o)
    {
        var all = new List<string>();
        foreach (var subset in (o["subsets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var ports = (subset["ports"] as JsonArray ?? []).Select(p => p?["port"]?.ToString()).OfType<string>().ToList();
            foreach (var address in (subset["addresses"] as JsonArray ?? []).Select(a => a?["ip"]?.ToString()).OfType<string>())
                all.AddRange(ports.Count == 0 ? [address] : ports.Select(p => $"{address}:{p}"));
        }
        return Limit(all);
    }

    private static string Limit(List<string> items)
    {
        if (items.Count == 0) return "<none>";
        var shown = string.Join(",", items.Take(Shown));
        return items.Count > Shown ? $"{shown} + {items.Count - Shown} more..." : shown;
    }
}
