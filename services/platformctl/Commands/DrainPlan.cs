using System.Text.Json.Nodes;

namespace Platform.Ctl.Commands;

/// <summary>Which of a node's pods drain evicts, skips or refuses to touch, by kubectl drain's filters.</summary>
internal sealed record DrainPlan(List<JsonObject> ToEvict, List<string> Warnings, List<string> Refusals)
{
    public static DrainPlan Of(IEnumerable<JsonObject> pods, bool ignoreDaemonSets, bool deleteEmptyDir, bool force)
    {
        var plan = new DrainPlan([], [], []);
        foreach (var pod in pods)
        {
            var id = $"{pod["metadata"]?["namespace"]}/{pod["metadata"]?["name"]}";
            if (pod["status"]?["phase"]?.ToString() is "Succeeded" or "Failed") { plan.ToEvict.Add(pod); continue; }
            if (pod["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] is not null) continue; // static pods stay with their node
            var owner = (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).FirstOrDefault(o => (bool?)o?["controller"] == true);
            if ((string?)owner?["kind"] == "DaemonSet")
            {
                if (ignoreDaemonSets) plan.Warnings.Add($"ignoring DaemonSet-managed Pods: {id}");
                else plan.Refusals.Add($"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): {id}");
                continue;
            }
            if (owner is null && !force) { plan.Refusals.Add($"cannot delete Pods that declare no controller (use --force to override): {id}"); continue; }
            if (!deleteEmptyDir && (pod["spec"]?["volumes"] as JsonArray ?? []).Any(v => v?["emptyDir"] is not null))
            {
                plan.Refusals.Add($"cannot delete Pods with local storage (use --delete-emptydir-data to override): {id}");
                continue;
            }
            if (owner is null) plan.Warnings.Add($"deleting Pods that declare no controller: {id}");
            plan.ToEvict.Add(pod);
        }
        return plan;
    }
}
