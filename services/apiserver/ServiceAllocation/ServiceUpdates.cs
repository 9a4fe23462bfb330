using System.Text.Json.Nodes;

namespace Platform.ApiServer.ServiceAllocation;

/// <summary>
/// What an update of a Service keeps and drops before validation, as Kubernetes' service REST strategy does: allocated
/// values a manifest never had (the cluster IP, node ports) stay, as kubectl apply's merge would leave them; values that
/// only a former type used go when the type changes and the update left them as they were.
/// </summary>
internal static class ServiceUpdates
{
    public static void Carry(JsonObject current, JsonObject desired)
    {
        if (current["spec"] is not JsonObject old || desired["spec"] is not JsonObject spec) return;
        var oldType = (string?)old["type"] ?? "ClusterIP";
        var newType = (string?)spec["type"] ?? "ClusterIP";
        if (NeedsClusterIp(oldType) && !NeedsClusterIp(newType))
        {
            foreach (var field in new[] { "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
                if (JsonNode.DeepEquals(spec[field], old[field])) spec.Remove(field);
        }
        else if (NeedsClusterIp(newType) && spec["clusterIP"] is null && spec["clusterIPs"] is null)
        {
            spec["clusterIP"] = old["clusterIP"]?.DeepClone();
            spec["clusterIPs"] = old["clusterIPs"]?.DeepClone();
        }
        var ports = spec["ports"] as JsonArray ?? [];
        var oldPorts = old["ports"] as JsonArray ?? [];
        if (NeedsNodePorts(oldType) && !NeedsNodePorts(newType))
        {
            foreach (var port in ports.OfType<JsonObject>())
                if (port["nodePort"] is { } np && oldPorts.Any(o => JsonNode.DeepEquals(o?["nodePort"], np))) port.Remove("nodePort");
            if (JsonNode.DeepEquals(spec["externalTrafficPolicy"], old["externalTrafficPolicy"])) spec.Remove("externalTrafficPolicy");
        }
        else if (NeedsNodePorts(oldType) && NeedsNodePorts(newType))
        {
            foreach (var port in ports.OfType<JsonObject>().Where(p => p["nodePort"] is null || p["nodePort"]!.ToString() == "0"))
            {
                var same = oldPorts.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o["port"], port["port"])
                    && ((string?)o["protocol"] ?? "TCP") == ((string?)port["protocol"] ?? "TCP"));
                if (same?["nodePort"] is { } kept) port["nodePort"] = kept.DeepClone();
            }
        }
    }

    private static bool NeedsClusterIp(string type) => type != "ExternalName";

    private static bool NeedsNodePorts(string type) => type is "NodePort" or "LoadBalancer";
}
