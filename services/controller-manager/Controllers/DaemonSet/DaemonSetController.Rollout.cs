using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using DS = Platform.Contracts.Resources.DaemonSet;

namespace Platform.ControllerManager.Controllers.DaemonSet;

/// <summary>The rolling update (Kubernetes' rollingUpdate) and the status.</summary>
internal sealed partial class DaemonSetController
{
    /// <summary>
    /// Without surge: deletes old pods, unavailable ones first, while at most maxUnavailable nodes lack an available
    /// pod (the manage step then creates the new pod on the emptied node). With surge: starts a new pod beside an old
    /// one on up to maxSurge nodes and deletes the old one when the new one is available.
    /// </summary>
    private void RollingUpdate(DS ds, List<Node> nodes, Dictionary<string, List<Pod>> byNode, string hash, Plan plan)
    {
        var desired = nodes.Count(n => DaemonPods.Fit(n, ds.Spec.Template?.Spec).ShouldRun);
        var ru = ds.Spec.UpdateStrategy?.RollingUpdate;
        var maxSurge = (ru?.MaxSurge ?? 0).Resolve(desired, roundUp: true);
        var maxUnavailable = (ru?.MaxUnavailable ?? 1).Resolve(desired, roundUp: true);
        if (maxSurge == 0 && maxUnavailable == 0) maxUnavailable = 1;
        var now = Time.GetUtcNow();
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        bool Available(Pod p) => PodFacts.IsAvailable(p, minReady, now);
        var unavailable = 0;
        var surged = 0;
        var candidates = new List<(string Node, Pod Old)>();
        foreach (var node in nodes)
        {
            if (!DaemonPods.Fit(node, ds.Spec.Template?.Spec).ShouldRun) continue;
            var running = byNode[node.Metadata.Name!].Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase != "Failed").ToList();
            var fresh = running.Where(p => HashOf(p) == hash).ToList();
            var old = running.Where(p => HashOf(p) != hash).ToList();
            if (fresh.Count > 1 || old.Count > 1) continue; // the manage step trims these first
            var (newPod, oldPod) = (fresh.FirstOrDefault(), old.FirstOrDefault());
            if (maxSurge == 0)
            {
                if ((oldPod is null) == (newPod is null)) unavailable++; // none yet, or two: the manage step acts first
                else if (oldPod is null)
                {
                    if (!Available(newPod!)) unavailable++;
                }
                else if (!Available(oldPod))
                {
                    plan.Delete.Add(oldPod); // not serving anyway: replace it now
                    unavailable++;
                }
                else candidates.Add((node.Metadata.Name!, oldPod));
                continue;
            }
            if (oldPod is null) continue;
            if (newPod is null)
            {
                if (!Available(oldPod)) plan.Create.Add(node.Metadata.Name!);
                else candidates.Add((node.Metadata.Name!, oldPod));
            }
            else if (!Available(newPod)) surged++;
            else plan.Delete.Add(oldPod);
        }
        var room = maxSurge == 0 ? maxUnavailable - unavailable : maxSurge - surged;
        foreach (var (node, oldPod) in candidates.Take(Math.Max(0, room)))
        {
            if (maxSurge == 0) plan.Delete.Add(oldPod);
            else plan.Create.Add(node);
        }
    }

    private async Task UpdateStatusAsync(DS ds, List<Node> nodes, Dictionary<string, List<Pod>> byNode, string hash, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var minReady = ds.Spec.MinReadySeconds ?? 0;
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        foreach (var node in nodes)
        {
            var pods = byNode[node.Metadata.Name!];
            if (!DaemonPods.Fit(node, ds.Spec.Template?.Spec).ShouldRun)
            {
                if (pods.Count > 0) misscheduled++;
                continue;
            }
            desired++;
            if (pods.Count == 0) continue;
            current++;
            var pod = pods[0];
            if (PodFacts.IsReady(pod)) ready++;
            if (PodFacts.IsAvailable(pod, minReady, now)) available++;
            if (pods.Any(p => HashOf(p) == hash && p.Metadata.DeletionTimestamp is null)) updated++;
        }
        var status = new DaemonSetStatus
        {
            DesiredNumberScheduled = desired,
            CurrentNumberScheduled = current,
            NumberMisscheduled = misscheduled,
            NumberReady = ready,
            NumberAvailable = available,
            NumberUnavailable = desired - available,
            UpdatedNumberScheduled = updated,
            ObservedGeneration = ds.Metadata.Generation,
            CollisionCount = ds.Status?.CollisionCount,
            Conditions = ds.Status?.Conditions,
        };
        if (ready != available) Queue.AddAfter(ObjectKeys.KeyOf(ds), TimeSpan.FromSeconds(Math.Max(1, minReady)));
        await WriteStatusAsync(ResourceKinds.DaemonSet, ds, ds.Status, status, ct);
    }
}
