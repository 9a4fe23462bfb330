using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// Carries out a nomination as kube-scheduler's preemption does: each victim gets the <c>DisruptionTarget</c>
/// condition, is deleted and gets a <c>Preempted</c> event; then the preemptor's <c>status.nominatedNodeName</c> is
/// set. The victims' deletions bring the preemptor back to the active queue, where it fits on the node.
/// </summary>
internal sealed class Preemptor(ApiClient api, EventRecorder events, SchedulerOptions options, TimeProvider time)
{
    public async Task PreemptAsync(PodInfo preemptor, string node, IReadOnlyList<PodInfo> victims, CancellationToken ct)
    {
        foreach (var victim in victims)
        {
            var path = ApiClient.PodPath(victim.Namespace, victim.Name);
            await api.MergePatchAsync(path + "/status", DisruptionTarget(victim.Pod, preemptor.Pod.Spec.SchedulerName ?? options.SchedulerName, time.GetUtcNow()), ct);
            if (await api.DeleteAsync(path, "Background", ct))
                events.Record(victim.Pod, "Normal", "Preempted", $"Preempted by pod {preemptor.Pod.Metadata.Uid} on node {node}");
        }
        await api.MergePatchAsync(ApiClient.PodPath(preemptor.Namespace, preemptor.Name) + "/status",
            new JsonObject { ["status"] = new JsonObject { ["nominatedNodeName"] = node } }, ct);
    }

    /// <summary>A merge patch replaces the whole list, so the other conditions are carried over.</summary>
    private static JsonObject DisruptionTarget(Pod pod, string scheduler, DateTimeOffset now)
    {
        var conditions = new JsonArray();
        foreach (var c in pod.Status?.Conditions ?? [])
            if (c.Type != "DisruptionTarget") conditions.Add(JsonSerializer.SerializeToNode(c, ResourceJson.Options));
        conditions.Add(JsonSerializer.SerializeToNode(new Condition
        {
            Type = "DisruptionTarget", Status = "True", Reason = "PreemptionByScheduler",
            Message = $"{scheduler}: preempting to accommodate a higher priority pod", LastTransitionTime = now,
        }, ResourceJson.Options));
        return new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } };
    }
}
