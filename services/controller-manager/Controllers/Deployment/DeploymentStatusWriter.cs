using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using RS = Platform.Contracts.Resources.ReplicaSet;
using Dep = Platform.Contracts.Resources.Deployment;

namespace Platform.ControllerManager.Controllers.Deployment;

/// <summary>
/// A Deployment's status: counts from its ReplicaSets, the Available condition (at least replicas - maxUnavailable
/// available) and Progressing (ReplicaSetUpdated while it moves, NewReplicaSetAvailable when done,
/// ProgressDeadlineExceeded when it stalls past progressDeadlineSeconds). Progressing's lastHeartbeatTime plays the
/// role of Kubernetes' lastUpdateTime.
/// </summary>
internal static class DeploymentStatusWriter
{
    public static async Task WriteAsync(DeploymentController c, Dep d, RS? newRs, List<RS> old, bool changed, CancellationToken ct)
    {
        var now = c.Time.GetUtcNow();
        var replicas = d.Spec.Replicas ?? 1;
        var all = newRs is null ? old : old.Append(newRs).ToList();
        var available = all.Sum(r => r.Status?.AvailableReplicas ?? 0);
        var updated = newRs?.Status?.Replicas ?? 0;
        var total = all.Sum(r => r.Status?.Replicas ?? 0);
        var (_, maxUnavailable) = RolloutMath.Limits(d.Spec);
        var previous = d.Status?.Conditions?.FirstOrDefault(x => x.Type == "Progressing");
        var complete = newRs is not null && updated == replicas && total == replicas && (newRs.Status?.AvailableReplicas ?? 0) >= replicas;
        var progressed = changed || d.Status is null || d.Status.UpdatedReplicas != updated || d.Status.AvailableReplicas != available;
        var deadline = TimeSpan.FromSeconds(d.Spec.ProgressDeadlineSeconds ?? 600);
        var key = ObjectKeys.KeyOf(d);
        var askRollback = false;

        Condition progressing;
        if (d.Spec.Paused == true)
            progressing = Cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", previous, now);
        else if (complete)
            progressing = Cond("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newRs!.Metadata.Name}\" has successfully progressed.", previous, now);
        else if (progressed || previous is null || previous.Reason == "NewReplicaSetAvailable")
        {
            progressing = Cond("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newRs?.Metadata.Name}\" is progressing.", previous, now) with { LastHeartbeatTime = now };
            c.RequeueAfter(key, deadline + TimeSpan.FromMilliseconds(100));
        }
        else if (previous.Reason == "ProgressDeadlineExceeded")
            progressing = previous;
        else if (previous.LastHeartbeatTime is { } since && now - since > deadline)
        {
            progressing = Cond("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newRs?.Metadata.Name}\" has timed out progressing.", previous, now);
            c.Events.Record(d, "Warning", "ProgressDeadlineExceeded", progressing.Message!);
            // Opt-in: an exceeded deadline asks for the previous revision, as `rollout undo` would (after the status).
            askRollback = d.Metadata.Annotations?.GetValueOrDefault(Revisions.AutoRollback) == "true" && old.Count > 0;
        }
        else
        {
            progressing = previous;
            if (previous.LastHeartbeatTime is { } last) c.RequeueAfter(key, last + deadline - now + TimeSpan.FromMilliseconds(100));
        }
        var availableCondition = available >= replicas - maxUnavailable
            ? Cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", d.Status?.Conditions?.FirstOrDefault(x => x.Type == "Available"), now)
            : Cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", d.Status?.Conditions?.FirstOrDefault(x => x.Type == "Available"), now);

        var status = new DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = total,
            UpdatedReplicas = updated,
            ReadyReplicas = all.Sum(r => r.Status?.ReadyReplicas ?? 0),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, replicas - available),
            Conditions = [availableCondition, progressing],
        };
        await c.WriteStatusAsync(ResourceKinds.Deployment, d, d.Status, status, ct);
        if (askRollback)
        {
            var ask = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Revisions.RollbackTo] = "0" } } };
            await c.Api.MergePatchAsync(ResourceKinds.Deployment.ObjectPath(d.Metadata.Namespace, d.Metadata.Name!), ask, ct);
        }
    }

    private static Condition Cond(string type, string status, string reason, string message, Condition? previous, DateTimeOffset now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastTransitionTime = previous?.Status == status ? previous.LastTransitionTime : now,
        LastHeartbeatTime = previous?.LastHeartbeatTime ?? now,
    };
}
