using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;
using Platform.Scheduler.Queue;

namespace Platform.Scheduler.Informers;

/// <summary>
/// Applies node and pod changes, from the initial list and then from Kafka, to the cache and the queue. Events
/// that arrive before the list are buffered; afterwards an event not newer than the object's last seen
/// resourceVersion (or the list's) is a replay or a duplicate and is ignored. Changes that can make pending pods fit
/// (node added or changed, assigned pod deleted) move unschedulable pods back: that, not a timer, is what retries them.
/// </summary>
internal sealed partial class ClusterEvents(SchedulerCache cache, SchedulingQueue queue, SchedulerOptions options, ILogger<ClusterEvents> logger)
{
    private readonly Dictionary<string, long> _podVersions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _nodeVersions = new(StringComparer.Ordinal);
    private readonly List<Action> _buffered = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _podListVersion = long.MaxValue;
    private long _nodeListVersion = long.MaxValue;

    public bool IsSynced => _synced.Task.IsCompleted;

    public Task WaitSyncedAsync(CancellationToken ct) => _synced.Task.WaitAsync(ct);

    /// <summary>Loads the lists, then replays what arrived meanwhile.</summary>
    public void Sync(List<Node> nodes, long nodeVersion, List<Pod> pods, long podVersion)
    {
        lock (cache.SyncRoot)
        {
            _nodeListVersion = nodeVersion;
            _podListVersion = podVersion;
            foreach (var n in nodes) ApplyNode(n, Version(n.Metadata), deleted: false);
            foreach (var p in pods) ApplyPod(p, Version(p.Metadata), deleted: false);
            foreach (var a in _buffered) a();
            _buffered.Clear();
            LogSynced(logger, nodes.Count, pods.Count, nodeVersion, podVersion);
        }
        _synced.TrySetResult();
    }

    public void OnNode(Node node, long version, bool deleted)
    {
        lock (cache.SyncRoot)
        {
            if (!IsSynced) _buffered.Add(() => OnNodeSynced(node, version, deleted));
            else OnNodeSynced(node, version, deleted);
        }
    }

    public void OnPod(Pod pod, long version, bool deleted)
    {
        lock (cache.SyncRoot)
        {
            if (!IsSynced) _buffered.Add(() => OnPodSynced(pod, version, deleted));
            else OnPodSynced(pod, version, deleted);
        }
    }

    private void OnNodeSynced(Node node, long version, bool deleted)
    {
        if (version <= _nodeListVersion) return;
        ApplyNode(node, version, deleted);
    }

    private void OnPodSynced(Pod pod, long version, bool deleted)
    {
        if (version <= _podListVersion) return;
        ApplyPod(pod, version, deleted);
    }

    private void ApplyNode(Node node, long version, bool deleted)
    {
        var name = node.Metadata.Name ?? "";
        if (_nodeVersions.TryGetValue(name, out var seen) && version <= seen) return;
        _nodeVersions[name] = version;
        if (deleted)
        {
            cache.RemoveNode(name);
            return;
        }
        if (cache.AddOrUpdateNode(node)) queue.MoveAllToActiveOrBackoff("NodeAddOrUpdate");
    }

    private void ApplyPod(Pod pod, long version, bool deleted)
    {
        var key = (pod.Metadata.Namespace ?? "") + "/" + (pod.Metadata.Name ?? "");
        if (_podVersions.TryGetValue(key, out var seen) && version <= seen) return;
        _podVersions[key] = version;
        var terminal = pod.Status?.Phase is "Succeeded" or "Failed";
        if (deleted || terminal)
        {
            queue.Delete(key);
            // Its resources, ports and anti-affinity no longer hold anyone back.
            if (cache.RemovePod(key)) queue.MoveAllToActiveOrBackoff("AssignedPodDelete");
            return;
        }
        if (!string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            queue.Delete(key);
            // A new neighbour can satisfy pod affinity or raise the spread minimum.
            if (cache.AddOrUpdatePod(new PodInfo(pod)))
                queue.MoveAllToActiveOrBackoff("AssignedPodAdd", p => p.RequiredAffinity.Count > 0 || p.Spread.Count > 0);
            return;
        }
        if (!Responsible(pod)) return;
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            queue.Delete(key);
            return;
        }
        // Our own binding is in flight; the status echo of an older write must not requeue the pod.
        if (cache.IsAssumed(key)) return;
        queue.AddOrUpdate(new PodInfo(pod));
    }

    private bool Responsible(Pod pod) =>
        string.IsNullOrEmpty(pod.Spec.SchedulerName) ? options.SchedulerName == SchedulerOptions.DefaultSchedulerName : pod.Spec.SchedulerName == options.SchedulerName;

    private static long Version(ObjectMeta meta) => long.TryParse(meta.ResourceVersion, out var v) ? v : 0;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "informers synced: {Nodes} nodes at resourceVersion {NodeVersion}, {Pods} pods at {PodVersion}")]
    private static partial void LogSynced(ILogger logger, int nodes, int pods, long nodeVersion, long podVersion);
}
