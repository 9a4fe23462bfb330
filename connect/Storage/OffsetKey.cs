using System.Text.Json.Nodes;

namespace Platform.Connect.Storage;

/// <summary>
/// Source offsets' keys as Kafka Connect writes them to the offsets topic: <c>["&lt;connector&gt;",{partition}]</c>, JSON
/// without schemas. Lookups use a canonical form (object members sorted) because other writers order members freely.
/// </summary>
internal static class OffsetKey
{
    public static string Encode(string connector, JsonObject partition) => new JsonArray(connector, partition.DeepClone()).ToJsonString();

    /// <summary>(connector, canonical partition) of a key, or null for a key that is not Kafka Connect's shape.</summary>
    public static (string Connector, string Partition)? Decode(string key)
    {
        try
        {
            if (JsonNode.Parse(key) is not JsonArray { Count: 2 } array || array[0] is not JsonValue name || array[1] is not JsonObject partition) return null;
            return (name.GetValue<string>(), Canonical(partition));
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public static string Canonical(JsonNode? node) => Sort(node)?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sort)]),
        null => null,
        _ => node.DeepClone(),
    };
}
