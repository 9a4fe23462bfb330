using System.Text.Json.Nodes;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Resources.Patching;

/// <summary>
/// Kubernetes' strategic merge patch (<c>application/strategic-merge-patch+json</c>, what <c>kubectl patch</c> and
/// client-side <c>kubectl apply</c> send): a JSON merge patch in which the lists Kubernetes marks with a patch merge key
/// (containers by name, container ports by containerPort, Service ports by port, env, volumes, volumeMounts ...) merge
/// item by item instead of being replaced. Directives: <c>$patch: delete|replace|merge</c> on an item or map,
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c>, <c>$setElementOrder/&lt;field&gt;</c> and <c>$retainKeys</c>.
/// </summary>
internal static class StrategicMergePatch
{
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject target, JsonObject patch) => MergeObject(target, patch, "");

    private static JsonObject MergeObject(JsonObject target, JsonObject patch, string path)
    {
        switch ((patch["$patch"] as JsonValue)?.ToString())
        {
            case "replace":
                var replaced = (JsonObject)patch.DeepClone();
                replaced.Remove("$patch");
                return replaced;
            case "delete": return [];
            case null or "merge": break;
            default: throw Invalid(path + "$patch", "must be replace, delete or merge");
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.ToString()).ToHashSet();
            foreach (var key in target.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList()) target.Remove(key);
        }
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith(SetElementOrder, StringComparison.Ordinal)) continue;
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (target[field] is JsonArray list && value is JsonArray drop)
                    foreach (var item in list.Where(x => drop.Any(d => JsonNode.DeepEquals(d, x))).ToList()) list.Remove(item);
                continue;
            }
            var current = target[key];
            target.Remove(key);
            if (value is null) continue;
            target[key] = (current, value) switch
            {
                (JsonObject c, JsonObject p) => MergeObject(c, p, $"{path}{key}."),
                // finalizers is a set: the patch's names are added to the object's.
                (JsonArray c, JsonArray p) when PatchMergeKeys.IsSet(key) =>
                    new JsonArray([.. c.Select(x => x?.DeepClone()), .. p.Where(x => !c.Any(y => JsonNode.DeepEquals(x, y))).Select(x => x?.DeepClone())]),
                (JsonArray c, JsonArray p) when PatchMergeKeys.For(key, c, p) is { } mergeKey => MergeList(c, p, mergeKey, $"{path}{key}"),
                (_, JsonObject p) => MergeObject([], p, $"{path}{key}."),
                _ => Strip(value.DeepClone()),
            };
        }
        return target;
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string mergeKey, string path)
    {
        // Items that are not objects (a fuzzer's ["0"]) are no directives; the loop below refuses them.
        if (patch.Any(p => ((p as JsonObject)?["$patch"] as JsonValue)?.ToString() == "replace"))
            return new JsonArray(patch.Where(p => ((p as JsonObject)?["$patch"] as JsonValue)?.ToString() != "replace").Select(p => Strip(p?.DeepClone())).ToArray());
        var items = target.Select(t => t!.DeepClone()).ToList();
        foreach (var item in patch)
        {
            if (item is not JsonObject p || p[mergeKey] is not JsonValue keyValue)
                throw Invalid(path, $"every item must be an object with its merge key \"{mergeKey}\"");
            var index = items.FindIndex(t => t is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
            if ((p["$patch"] as JsonValue)?.ToString() == "delete")
            {
                if (index >= 0) items.RemoveAt(index);
                continue;
            }
            if (index >= 0) items[index] = MergeObject((JsonObject)items[index]!, p, $"{path}[{mergeKey}={keyValue}].");
            else items.Add(MergeObject([], p, $"{path}[{mergeKey}={keyValue}]."));
        }
        return new JsonArray([.. items]);
    }

    /// <summary>Removes directives from a value that is taken whole (a new item or a replaced list).</summary>
    private static JsonNode? Strip(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var key in o.Select(kv => kv.Key).Where(k => k.StartsWith('$')).ToList()) o.Remove(key);
            foreach (var (_, v) in o) Strip(v);
        }
        else if (node is JsonArray a) foreach (var v in a) Strip(v);
        return node;
    }

    private static ApiProblem Invalid(string field, string reason) =>
        new(422, "Invalid", $"strategic merge patch: {field}: {reason}", [new FieldError(field, reason)]);
}
