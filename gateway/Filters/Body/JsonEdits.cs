using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Filters.Body;

/// <summary>
/// The body changes a YAML route can ask for (Spring takes a Java function instead): <c>set.PATH: value</c> sets a
/// field (dotted path, objects created on the way; a value that reads as JSON — number, true/false, null, object,
/// array — is that JSON, anything else a string) and <c>remove: PATH,PATH</c> deletes fields.
/// </summary>
internal sealed class JsonEdits
{
    private readonly List<(string[] Path, JsonNode? Value)> _set = [];
    private readonly List<string[]> _remove = [];

    public bool IsEmpty => _set.Count == 0 && _remove.Count == 0;

    public static JsonEdits From(ComponentArgs args)
    {
        var edits = new JsonEdits();
        foreach (var (key, value) in args.All)
        {
            if (!key.StartsWith("set.", StringComparison.OrdinalIgnoreCase)) continue;
            var path = Path(key[4..], key);
            edits._set.Add((path, Literal(value)));
        }
        foreach (var path in args.List("remove", required: false)) edits._remove.Add(Path(path, "remove"));
        return edits;
    }

    /// <summary>Applies the edits; false when the body is not a JSON object to edit.</summary>
    public bool Apply(JsonNode? root)
    {
        if (root is not JsonObject obj) return IsEmpty;
        foreach (var path in _remove)
        {
            if (Walk(obj, path, create: false) is { } parent) parent.Remove(path[^1]);
        }
        foreach (var (path, value) in _set)
        {
            if (Walk(obj, path, create: true) is { } parent) parent[path[^1]] = value?.DeepClone();
        }
        return true;
    }

    /// <summary>Removes <paramref name="names"/> from the root object, or (<paramref name="recursive"/>) from every object at any depth.</summary>
    public static void RemoveAttributes(JsonNode? node, IReadOnlySet<string> names, bool recursive)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in names) obj.Remove(name);
                if (recursive) foreach (var (_, child) in obj) RemoveAttributes(child, names, true);
                break;
            case JsonArray array when recursive:
                foreach (var item in array) RemoveAttributes(item, names, true);
                break;
        }
    }

    private static JsonObject? Walk(JsonObject root, string[] path, bool create)
    {
        var current = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (current[path[i]] is JsonObject next) current = next;
            else if (create && current[path[i]] is null) current = (JsonObject)(current[path[i]] = new JsonObject());
            else return null;
        }
        return current;
    }

    private static string[] Path(string text, string argument)
    {
        var parts = text.Split('.');
        return parts.All(p => p.Length > 0) ? parts : throw new GatewayArgumentException(argument, $"'{text}' is not a dotted field path");
    }

    private static JsonNode? Literal(string value)
    {
        var t = value.Trim();
        if (t.Length == 0 || !(t[0] is '{' or '[' or '-' or (>= '0' and <= '9')) && t is not ("true" or "false" or "null")) return JsonValue.Create(value);
        try { return JsonNode.Parse(t); }
        catch (JsonException) { return JsonValue.Create(value); }
    }
}
