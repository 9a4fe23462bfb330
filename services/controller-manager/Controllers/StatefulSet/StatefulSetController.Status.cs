using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using STS = Platform.Contracts.Resources.StatefulSet;

namespace Platform.ControllerManager.Controllers.StatefulSet;

internal sealed partial class StatefulSetController
{
    /// <summary>
    /// Counts by revision; once every pod runs the update revision and is ready, it becomes the current one
    /// (Kubernetes' completeRollingUpdate).
    /// </summary>
    private async Task UpdateStatusAsync(STS set, Slots slots, ControllerRevision current, ControllerRevision update, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var pods = slots.Replicas.OfType<Pod>().Concat(slots.Condemned).ToList();
        var status = new StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            Replicas = pods.Count,
            ReadyReplicas = pods.Count(StatefulPods.IsRunningAndReady),
            AvailableReplicas = pods.Count(p => StatefulPods.IsRunningAndReady(p) && PodFacts.IsAvailable(p, minReady, now)),
            CurrentReplicas = pods.Count(p => StatefulPods.RevisionOf(p) == current.Metadata.Name),
            UpdatedReplicas = pods.Count(p => StatefulPods.RevisionOf(p) == update.Metadata.Name),
            CurrentRevision = current.Metadata.Name,
            UpdateRevision = update.Metadata.Name,
            CollisionCount = set.Status?.CollisionCount,
            Conditions = set.Status?.Conditions,
        };
        var replicas = set.Spec.Replicas ?? 1;
        if (status.UpdatedReplicas == replicas && status.ReadyReplicas == replicas && status.Replicas == replicas)
            status = status with { CurrentRevision = update.Metadata.Name, CurrentReplicas = status.UpdatedReplicas };
        if (status.ReadyReplicas != status.AvailableReplicas) Queue.AddAfter(ObjectKeys.KeyOf(set), TimeSpan.FromSeconds(Math.Max(1, minReady)));
        await WriteStatusAsync(ResourceKinds.StatefulSet, set, set.Status, status, ct);
    }
}
