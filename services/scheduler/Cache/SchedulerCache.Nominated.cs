namespace Platform.Scheduler.Cache;

/// <summary>
/// kube-scheduler's nominator: pending pods that preempted room on a node (<c>status.nominatedNodeName</c>), by node.
/// While their victims terminate, filtering that node for a pod of no higher priority counts them as if they ran
/// there, so the room freed for them is not taken by a less important pod. A nomination ends when the pod is
/// assumed, bound, deleted or nominated elsewhere. Guarded by <see cref="SyncRoot"/> like the rest of the cache.
/// </summary>
internal sealed partial class SchedulerCache
{
    private static readonly IReadOnlyCollection<PodInfo> NoPods = [];
    private readonly Dictionary<string, Dictionary<string, PodInfo>> _nominatedByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nominatedNode = new(StringComparer.Ordinal);

    public IReadOnlyCollection<PodInfo> NominatedPods(string node) =>
        _nominatedByNode.TryGetValue(node, out var pods) ? pods.Values : NoPods;

    public string? NominatedNodeOf(string podKey) => _nominatedNode.GetValueOrDefault(podKey);

    /// <summary>Records (or, with a null or empty node, ends) the pod's nomination.</summary>
    public void Nominate(PodInfo pod, string? node)
    {
        Unnominate(pod.Key);
        if (string.IsNullOrEmpty(node)) return;
        if (!_nominatedByNode.TryGetValue(node, out var pods)) _nominatedByNode[node] = pods = new(StringComparer.Ordinal);
        pods[pod.Key] = pod;
        _nominatedNode[pod.Key] = node;
    }

    public void Unnominate(string podKey)
    {
        if (!_nominatedNode.Remove(podKey, out var node) || !_nominatedByNode.TryGetValue(node, out var pods)) return;
        pods.Remove(podKey);
        if (pods.Count == 0) _nominatedByNode.Remove(node);
    }
}
