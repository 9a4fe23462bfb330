using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Manifests.Printing;

/// <summary>kubectl's columns for DaemonSets, StatefulSets and ControllerRevisions.</summary>
internal static class SetColumns
{
    public static (string[] Headers, Func<JsonObject, string[]> Row)? For(ResourceKind kind, bool wide, Func<JsonObject, string> name, Func<JsonObject, string> age, Func<JsonObject, string[]> workloadWide)
    {
        static string N(JsonNode? n) => n?.ToString() ?? "0";
        if (kind == ResourceKinds.DaemonSet)
            return (wide ? ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
                         : ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"], o =>
            {
                var s = o["status"];
                var selector = string.Join(",", (o["spec"]?["template"]?["spec"]?["nodeSelector"] as JsonObject ?? []).Select(kv => $"{kv.Key}={kv.Value}"));
                string[] row = [name(o), N(s?["desiredNumberScheduled"]), N(s?["currentNumberScheduled"]), N(s?["numberReady"]), N(s?["updatedNumberScheduled"]),
                    N(s?["numberAvailable"]), selector.Length > 0 ? selector : "<none>", age(o)];
                return wide ? [.. row, .. workloadWide(o)] : row;
            });
        if (kind == ResourceKinds.StatefulSet)
            return (wide ? ["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"] : ["NAME", "READY", "AGE"], o =>
            {
                string[] row = [name(o), $"{N(o["status"]?["readyReplicas"])}/{N(o["spec"]?["replicas"])}", age(o)];
                return wide ? [.. row, .. workloadWide(o)[..2]] : row;
            });
        if (kind == ResourceKinds.ControllerRevision)
            return (["NAME", "CONTROLLER", "REVISION", "AGE"], o =>
            {
                var owner = (o["metadata"]?["ownerReferences"] as JsonArray ?? []).FirstOrDefault(r => (bool?)r?["controller"] == true);
                var controller = owner is null ? "<none>"
                    : $"{owner["kind"]?.ToString().ToLowerInvariant()}.{owner["apiVersion"]?.ToString().Split('/')[0]}/{owner["name"]}";
                return [name(o), controller, N(o["revision"]), age(o)];
            });
        return null;
    }
}
