using System.Text.Json.Nodes;
using Platform.Contracts.Resources;

namespace Platform.Ctl.Commands;

/// <summary>
/// One reading of a DaemonSet's or StatefulSet's rollout, worded as kubectl's DaemonSetStatusViewer and
/// StatefulSetStatusViewer: only RollingUpdate has a rollout to follow; a status written for an older generation is
/// not trusted.
/// </summary>
public static class SetProgress
{
    public static DeploymentProgress Of(ResourceKind kind, JsonObject o)
    {
        var name = (string?)o["metadata"]?["name"] ?? "";
        var generation = (long?)o["metadata"]?["generation"] ?? 0;
        var status = o["status"] as JsonObject;
        var observed = (long?)status?["observedGeneration"] ?? 0;
        int Status(string field) => (int?)status?[field] ?? 0;
        var strategy = o["spec"]?["updateStrategy"];
        if ((string?)strategy?["type"] != "RollingUpdate")
            return new("rollout status is only available for RollingUpdate strategy type", false, true);
        if (kind == ResourceKinds.DaemonSet)
        {
            if (generation > observed) return new("Waiting for daemon set spec update to be observed...", false, false);
            var desired = Status("desiredNumberScheduled");
            if (Status("updatedNumberScheduled") < desired)
                return new($"Waiting for daemon set \"{name}\" rollout to finish: {Status("updatedNumberScheduled")} out of {desired} new pods have been updated...", false, false);
            if (Status("numberAvailable") < desired)
                return new($"Waiting for daemon set \"{name}\" rollout to finish: {Status("numberAvailable")} of {desired} updated pods are available...", false, false);
            return new($"daemon set \"{name}\" successfully rolled out", true, false);
        }
        if (observed == 0 || generation > observed) return new("Waiting for statefulset spec update to be observed...", false, false);
        var replicas = (int?)o["spec"]?["replicas"] ?? 1;
        if (Status("readyReplicas") < replicas) return new($"Waiting for {replicas - Status("readyReplicas")} pods to be ready...", false, false);
        if (strategy?["rollingUpdate"] is JsonObject ru)
        {
            if ((int?)ru["partition"] is { } partition && Status("updatedReplicas") < replicas - partition)
                return new($"Waiting for partitioned roll out to finish: {Status("updatedReplicas")} out of {replicas - partition} new pods have been updated...", false, false);
            return new($"partitioned roll out complete: {Status("updatedReplicas")} new pods have been updated...", true, false);
        }
        var update = (string?)status?["updateRevision"];
        if (update != (string?)status?["currentRevision"])
            return new($"waiting for statefulset rolling update to complete {Status("updatedReplicas")} pods at revision {update}...", false, false);
        return new($"statefulset rolling update complete {Status("currentReplicas")} pods at revision {update}...", true, false);
    }
}
