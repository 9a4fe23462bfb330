using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;
using Platform.Scheduler.Queue;

namespace Platform.Scheduler.Informers;

/// <summary>
/// Handlers on the shared node and pod informers (a list, then Kafka; each object seen once per resourceVersion, stale
/// and duplicate events already dropped) that apply every change to the cache and the queue. Changes that can make
/// pending pods fit (node added or changed, assigned pod deleted) move unschedulable pods back: that, not a timer, is
/// what retries them.
/// <para>Lock order: an informer runs its handlers under its own lock, and a scheduling cycle holds
/// <see cref="SchedulerCache.SyncRoot"/> while VolumeBinding and preemption read the claim, volume, class and budget
/// informers. So handlers of those informers never take SyncRoot (the queue has its own lock and remembers the move
/// for a cycle in flight); only node and pod handlers do, and no cycle reads those informers.</para>
/// </summary>
internal sealed class ClusterEvents
{
    private readonly Informer<Node> _nodes;
    private readonly Informer<Pod> _pods;
    private readonly Informer<PersistentVolumeClaim> _claims;
    private readonly Informer<PersistentVolume> _volumes;
    private readonly Informer<StorageClass> _classes;
    private readonly SchedulerCache _cache;
    private readonly SchedulingQueue _queue;
    private readonly SchedulerOptions _options;

    public ClusterEvents(SharedInformerFactory informers, SchedulerCache cache, SchedulingQueue queue, SchedulerOptions options)
    {
        _cache = cache;
        _queue = queue;
        _options = options;
        _nodes = informers.For<Node>(ResourceKinds.Node);
        _pods = informers.For<Pod>(ResourceKinds.Pod);
        _nodes.OnChange(OnNode);
        _pods.OnChange(OnPod);
        // A claim created, bound or given a class, a volume made: pods waiting on their volumes may fit now.
        _claims = informers.For<PersistentVolumeClaim>(ResourceKinds.PersistentVolumeClaim);
        _volumes = informers.For<PersistentVolume>(ResourceKinds.PersistentVolume);
        _classes = informers.For<StorageClass>(ResourceKinds.StorageClass);
        _claims.OnChange((_, now) => { if (now is not null) MoveVolumeWaiters("PvcAddOrUpdate"); });
        _volumes.OnChange((_, now) => { if (now is not null) MoveVolumeWaiters("PvAddOrUpdate"); });
        _classes.OnChange((_, now) => { if (now is not null) MoveVolumeWaiters("StorageClassAdd"); });
    }

    /// <summary>Not under SyncRoot (see the lock order above): a cycle holding it may be reading this informer.</summary>
    private void MoveVolumeWaiters(string why) =>
        _queue.MoveAllToActiveOrBackoff(why, p => p.Pod.Spec.Volumes?.Any(v => v.PersistentVolumeClaim is not null) == true);

    /// <summary>Every informer holds its first list: the cache shows the cluster, scheduling may start.</summary>
    public bool IsSynced => _nodes.HasSynced && _pods.HasSynced && _claims.HasSynced && _volumes.HasSynced && _classes.HasSynced;

    public Task WaitSyncedAsync(CancellationToken ct) =>
        Task.WhenAll(_nodes.WaitForSyncAsync(ct), _pods.WaitForSyncAsync(ct), _claims.WaitForSyncAsync(ct), _volumes.WaitForSyncAsync(ct), _classes.WaitForSyncAsync(ct));

    private void OnNode(Node? old, Node? now)
    {
        lock (_cache.SyncRoot)
        {
            if (now is null)
            {
                _cache.RemoveNode(old!.Metadata.Name ?? "");
                return;
            }
            if (_cache.AddOrUpdateNode(now)) _queue.MoveAllToActiveOrBackoff("NodeAddOrUpdate");
        }
    }

    private void OnPod(Pod? old, Pod? now)
    {
        lock (_cache.SyncRoot) ApplyPod(now ?? old!, deleted: now is null);
    }

    private void ApplyPod(Pod pod, bool deleted)
    {
        var key = (pod.Metadata.Namespace ?? "") + "/" + (pod.Metadata.Name ?? "");
        var terminal = pod.Status?.Phase is "Succeeded" or "Failed";
        if (deleted || terminal)
        {
            _queue.Delete(key);
            _cache.Unnominate(key);
            // Its resources, ports and anti-affinity no longer hold anyone back.
            if (_cache.RemovePod(key)) _queue.MoveAllToActiveOrBackoff("AssignedPodDelete");
            return;
        }
        if (!string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            _queue.Delete(key);
            _cache.Unnominate(key);
            // A new neighbour can satisfy pod affinity or raise the spread minimum.
            if (_cache.AddOrUpdatePod(new PodInfo(pod)))
                _queue.MoveAllToActiveOrBackoff("AssignedPodAdd", p => p.RequiredAffinity.Count > 0 || p.Spread.Count > 0);
            return;
        }
        if (!Responsible(pod)) return;
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            _queue.Delete(key);
            _cache.Unnominate(key);
            return;
        }
        // Our own binding is in flight; the status echo of an older write must not requeue the pod.
        if (_cache.IsAssumed(key)) return;
        var info = new PodInfo(pod);
        // A nomination written by this scheduler (or a previous leader) holds its node's room while the victims go.
        _cache.Nominate(info, pod.Status?.NominatedNodeName);
        _queue.AddOrUpdate(info);
    }

    private bool Responsible(Pod pod) =>
        string.IsNullOrEmpty(pod.Spec.SchedulerName) ? _options.SchedulerName == SchedulerOptions.DefaultSchedulerName : pod.Spec.SchedulerName == _options.SchedulerName;
}
