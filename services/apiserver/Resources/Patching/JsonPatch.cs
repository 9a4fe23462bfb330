using System.Globalization;
using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources.Patching;

/// <summary>
/// RFC 6902 JSON Patch (<c>application/json-patch+json</c>): add, remove, replace, move, copy and test, on RFC 6901
/// pointers. An operation that cannot apply (a missing path, a failed test) refuses the whole patch with a 422 naming
/// the operation, as Kubernetes does.
/// </summary>
internal static class JsonPatch
{
    public const int MaxOperations = 10_000;

    public static JsonObject Apply(JsonObject target, JsonArray operations)
    {
        if (operations.Count > MaxOperations) throw Invalid(0, $"more than {MaxOperations} operations");
        JsonNode document = target;
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op) throw Invalid(i, "is not an object");
            var name = (op["op"] as JsonValue)?.ToString();
            var path = Pointer(op, "path", i);
            switch (name)
            {
                case "add": document = Add(document, path, Value(op, i), i); break;
                case "remove": document = Remove(document, path, i, out _); break;
                case "replace":
                    document = Remove(document, path, i, out _);
                    document = Add(document, path, Value(op, i), i);
                    break;
                case "move":
                {
                    var from = Pointer(op, "from", i);
                    document = Remove(document, from, i, out var moved);
                    document = Add(document, path, moved, i);
                    break;
                }
                case "copy": document = Add(document, path, Get(document, Pointer(op, "from", i), i)?.DeepClone(), i); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path, i), Value(op, i)))
                        throw Invalid(i, $"test failed: the value at \"{string.Join('/', path.Prepend(""))}\" is not the expected one");
                    break;
                default: throw Invalid(i, $"op \"{name}\" is not one of add, remove, replace, move, copy, test");
            }
        }
        return document as JsonObject ?? throw Invalid(operations.Count - 1, "the result is not an object");
    }

    private static JsonNode? Value(JsonObject op, int i) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw Invalid(i, "has no \"value\"");

    private static string[] Pointer(JsonObject op, string member, int i)
    {
        var text = (op[member] as JsonValue)?.ToString() ?? throw Invalid(i, $"has no \"{member}\"");
        if (text.Length == 0) return [];
        if (text[0] != '/') throw Invalid(i, $"{member} \"{text}\" is not a JSON pointer (it must start with /)");
        return text[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    private static JsonNode? Get(JsonNode document, string[] path, int i)
    {
        JsonNode? node = document;
        foreach (var token in path)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when Index(a, token, allowEnd: false) is { } index => a[index],
                _ => throw Invalid(i, $"path \"/{string.Join('/', path)}\" does not exist"),
            };
        }
        return node;
    }

    private static JsonNode Add(JsonNode document, string[] path, JsonNode? value, int i)
    {
        if (path.Length == 0) return value ?? throw Invalid(i, "cannot replace the whole object with null");
        var parent = Get(document, path[..^1], i);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a:
                var index = Index(a, last, allowEnd: true) ?? throw Invalid(i, $"\"{last}\" is not an index of the array at \"/{string.Join('/', path[..^1])}\"");
                a.Insert(index, value);
                break;
            default: throw Invalid(i, $"path \"/{string.Join('/', path[..^1])}\" is not an object or array");
        }
        return document;
    }

    private static JsonNode Remove(JsonNode document, string[] path, int i, out JsonNode? removed)
    {
        if (path.Length == 0) throw Invalid(i, "cannot remove the whole object");
        var parent = Get(document, path[..^1], i);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out removed):
                o.Remove(last);
                break;
            case JsonArray a when Index(a, last, allowEnd: false) is { } index:
                removed = a[index];
                a.RemoveAt(index);
                break;
            default: throw Invalid(i, $"path \"/{string.Join('/', path)}\" does not exist");
        }
        return document;
    }

    private static int? Index(JsonArray array, string token, bool allowEnd)
    {
        if (allowEnd && token == "-") return array.Count;
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
        return index < array.Count || (allowEnd && index == array.Count) ? index : null;
    }

    private static ApiProblem Invalid(int operation, string reason) =>
        new(422, "Invalid", $"json patch operation {operation}: {reason}", [new FieldError($"patch[{operation}]", reason)]);
}
