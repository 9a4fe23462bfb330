using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Testing.Cluster;

/// <summary>
/// What <c>kubectl describe</c> would have said when a wait on pods times out: each pod's node, phase, conditions and
/// container states, and the namespace's latest events. Appended to the timeout so a failure on CI explains itself.
/// </summary>
public static class ClusterDescribe
{
    public static async Task<string> PodsAsync(HttpClient client, string ns, string? labelSelector = null)
    {
        var text = new StringBuilder();
        try
        {
            var query = labelSelector is null ? "" : "?labelSelector=" + Uri.EscapeDataString(labelSelector);
            var pods = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/{ns}/pods{query}"))!["items"]!.AsArray();
            text.Append($"pods in {ns} ({pods.Count}):");
            foreach (var pod in pods)
            {
                var status = pod!["status"];
                text.Append($"\n  {pod["metadata"]?["name"]} node={pod["spec"]?["nodeName"] ?? "-"} phase={status?["phase"] ?? "-"}");
                foreach (var c in status?["conditions"]?.AsArray() ?? [])
                    text.Append($" {c?["type"]}={c?["status"]}{(c?["reason"] is { } r ? $"({r})" : "")}");
                foreach (var c in status?["containerStatuses"]?.AsArray() ?? [])
                    text.Append($"\n    {c?["name"]} ready={c?["ready"]} restarts={c?["restartCount"]} state={c?["state"]?.ToJsonString()}");
            }
            var events = JsonNode.Parse(await client.GetStringAsync($"/api/v1/namespaces/{ns}/events"))!["items"]!.AsArray();
            text.Append($"\nlast events in {ns} ({events.Count}):");
            foreach (var e in events.TakeLast(25))
                text.Append($"\n  {e!["lastTimestamp"] ?? e["eventTime"]} {e["type"]} {e["reason"]} {e["involvedObject"]?["kind"]}/{e["involvedObject"]?["name"]}: {e["message"]}");
        }
        catch (Exception ex)
        {
            text.Append($"\n(describing {ns} failed: {ex.Message})");
        }
        return text.ToString();
    }
}
