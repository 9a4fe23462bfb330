using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Resources.Patching;

namespace Platform.ApiServer.Resources.Apply;

/// <summary>
/// An object's fields as server-side apply sees them: each leaf (a scalar, an atomic list, an empty map), each item of
/// a keyed list (<see cref="PatchMergeKeys"/>: containers by name ...) and each member of a set-list, with its path of
/// <see cref="FieldSet"/> elements. Identity and server-owned fields (<c>apiVersion</c>, <c>kind</c>, <c>status</c>,
/// <c>metadata.name</c>, <c>uid</c>, <c>resourceVersion</c> ...) belong to no manager.
/// </summary>
internal static class FieldPaths
{
    private static readonly HashSet<string> ServerMetadata =
        ["f:name", "f:namespace", "f:uid", "f:resourceVersion", "f:generation", "f:creationTimestamp", "f:deletionTimestamp", "f:managedFields", "f:selfLink"];

    /// <summary>A field of the object: its path, its value, and whether it is a list item (owned as a whole, compared by its fields).</summary>
    public sealed record Field(IReadOnlyList<string> Path, JsonNode? Value, bool IsItem)
    {
        public string Key => Join(Path);
    }

    public static List<Field> Of(JsonObject obj)
    {
        var fields = new List<Field>();
        foreach (var (key, value) in obj)
        {
            if (key is "apiVersion" or "kind" or "status") continue;
            if (key == "metadata" && value is JsonObject meta)
            {
                foreach (var (mk, mv) in meta)
                    if (!ServerMetadata.Contains("f:" + mk)) Walk(mv, mk, ["f:metadata", "f:" + mk], fields);
                continue;
            }
            Walk(value, key, ["f:" + key], fields);
        }
        return fields;
    }

    public static FieldSet SetOf(IEnumerable<Field> fields) => FieldSet.FromPaths(fields.Select(f => f.Path));

    private static void Walk(JsonNode? value, string name, List<string> path, List<Field> fields)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (key, child) in o) Walk(child, key, [.. path, "f:" + key], fields);
                return;
            case JsonArray a when a.Count > 0 && PatchMergeKeys.For(name, a, []) is { } key && a.All(i => i is JsonObject io && io[key] is JsonValue):
                foreach (var item in a.Cast<JsonObject>())
                {
                    List<string> itemPath = [.. path, ItemElement(key, item[key]!)];
                    fields.Add(new Field(itemPath, item, IsItem: true));
                    foreach (var (k, child) in item) Walk(child, k, [.. itemPath, "f:" + k], fields);
                }
                return;
            case JsonArray a when PatchMergeKeys.IsSet(name):
                foreach (var item in a) fields.Add(new Field([.. path, "v:" + (item?.ToJsonString() ?? "null")], item, IsItem: false));
                return;
            default:
                fields.Add(new Field(path, value, IsItem: false));
                return;
        }
    }

    private static string ItemElement(string key, JsonNode value) => "k:" + new JsonObject { [key] = value.DeepClone() }.ToJsonString();

    /// <summary>The value at <paramref name="path"/> in <paramref name="obj"/>, if the path exists.</summary>
    public static bool TryResolve(JsonObject obj, IReadOnlyList<string> path, out JsonNode? value)
    {
        JsonNode? node = obj;
        value = null;
        foreach (var element in path)
        {
            if (!TryStep(node, element, out node, out _, out _)) return false;
        }
        value = node;
        return true;
    }

    /// <summary>Removes the field or list item at <paramref name="path"/>; false when it is not there.</summary>
    public static bool Remove(JsonObject obj, IReadOnlyList<string> path)
    {
        JsonNode? node = obj;
        for (var i = 0; i < path.Count - 1; i++)
            if (!TryStep(node, path[i], out node, out _, out _)) return false;
        if (!TryStep(node, path[^1], out _, out var parent, out var index)) return false;
        switch (parent)
        {
            case JsonObject o: return o.Remove(path[^1][2..]);
            case JsonArray a: a.RemoveAt(index); return true;
            default: return false;
        }
    }

    private static bool TryStep(JsonNode? node, string element, out JsonNode? next, out JsonNode? parent, out int index)
    {
        next = null;
        parent = node;
        index = -1;
        switch (element[0])
        {
            case 'f' when node is JsonObject o:
                return o.TryGetPropertyValue(element[2..], out next);
            case 'k' when node is JsonArray a:
                if (ParseElement(element) is not JsonObject key) return false;
                index = FindIndex(a, item => item is JsonObject io && key.All(kv => JsonNode.DeepEquals(io[kv.Key], kv.Value)));
                break;
            case 'v' when node is JsonArray a:
                var wanted = ParseElement(element);
                index = FindIndex(a, item => JsonNode.DeepEquals(item, wanted));
                break;
            default:
                return false;
        }
        if (index < 0) return false;
        next = ((JsonArray)node!)[index];
        return true;
    }

    private static int FindIndex(JsonArray a, Func<JsonNode?, bool> match)
    {
        for (var i = 0; i < a.Count; i++)
            if (match(a[i])) return i;
        return -1;
    }

    /// <summary><c>.spec.template.spec.containers[name="web"].image</c>: a path as Kubernetes prints it in a conflict.</summary>
    public static string Format(IReadOnlyList<string> path)
    {
        var s = new StringBuilder();
        foreach (var element in path)
        {
            var body = element[2..];
            switch (element[0])
            {
                case 'f': s.Append('.').Append(body); break;
                case 'k':
                    s.Append('[').Append(ParseElement(element) is JsonObject key
                        ? string.Join(",", key.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}")) : body).Append(']');
                    break;
                default: s.Append("[=").Append(body).Append(']'); break;
            }
        }
        return s.ToString();
    }

    /// <summary>The JSON of a <c>k:</c> or <c>v:</c> element; null when it does not parse (managed fields read back from storage are not trusted).</summary>
    private static JsonNode? ParseElement(string element)
    {
        try { return JsonNode.Parse(element[2..], documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 16 }); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public static string Join(IReadOnlyList<string> path) => string.Join('\u0001', path);
}
