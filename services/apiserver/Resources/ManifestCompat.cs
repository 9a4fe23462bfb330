using System.Text.Json.Nodes;

namespace Platform.ApiServer.Resources;

/// <summary>
/// Tolerated shorthands from hand-written manifests, rewritten to the canonical shape with a warning
/// (sent back as HTTP <c>Warning</c> headers, as kube-apiserver does).
/// </summary>
internal static class ManifestCompat
{
    /// <summary>
    /// A workload <c>spec.template</c> written as a pod spec (<c>template: {containers: [...]}</c>, as in the
    /// seed documents' ReplicaSet) becomes <c>template: {spec: {containers: [...]}}</c>.
    /// </summary>
    public static void Normalize(JsonObject body, WriteRequest warnings)
    {
        if (body["spec"] is not JsonObject spec || spec["template"] is not JsonObject template) return;
        if (template.ContainsKey("spec") || !template.ContainsKey("containers")) return;
        var podSpec = new JsonObject();
        foreach (var key in template.Select(kv => kv.Key).Where(k => k != "metadata").ToList())
        {
            var value = template[key];
            template.Remove(key);
            podSpec[key] = value;
        }
        template["spec"] = podSpec;
        warnings.Add("spec.template.containers: moved to spec.template.spec.containers (a pod template holds metadata and spec)");
    }
}
