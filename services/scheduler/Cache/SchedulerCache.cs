using Platform.Contracts.Resources;

namespace Platform.Scheduler.Cache;

/// <summary>
/// Nodes and assigned pods (bound, and assumed: chosen by this scheduler but not yet confirmed by an event), with
/// per-node aggregates and a label index. One lock guards it: the informer applies events under it and a
/// scheduling cycle runs under it, so a cycle sees one consistent state (the role of kube-scheduler's snapshot).
/// </summary>
internal sealed class SchedulerCache : IClusterView
{
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _assumed = new(StringComparer.Ordinal);
    private readonly PodLabelIndex _index = new();
    private readonly HashSet<PodInfo> _withRequiredAnti = [];
    private readonly HashSet<PodInfo> _withPreferred = [];
    private List<NodeInfo> _nodeList = [];
    private bool _nodeListDirty;

    public object SyncRoot { get; } = new();

    public IReadOnlyList<NodeInfo> Nodes
    {
        get
        {
            if (_nodeListDirty)
            {
                _nodeList = _nodes.Values.Where(n => n.Node is not null).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
                _nodeListDirty = false;
            }
            return _nodeList;
        }
    }

    public NodeInfo? GetNode(string name) => _nodes.TryGetValue(name, out var n) && n.Node is not null ? n : null;

    public IEnumerable<PodInfo> PodsMatching(Selector selector) => _index.Matching(selector);

    public IReadOnlyCollection<PodInfo> PodsWithRequiredAntiAffinity => _withRequiredAnti;

    public IReadOnlyCollection<PodInfo> PodsWithPreferredAffinity => _withPreferred;

    public int PodCount => _pods.Count;

    public bool IsAssumed(string key) => _assumed.Contains(key);

    public PodInfo? GetPod(string key) => _pods.GetValueOrDefault(key);

    /// <summary>Adds or replaces a node; true when something scheduling depends on changed (or the node is new).</summary>
    public bool AddOrUpdateNode(Node node)
    {
        var name = node.Metadata.Name ?? "";
        if (_nodes.TryGetValue(name, out var info))
        {
            var before = info.Node is null ? null : Signature(info.Node);
            info.SetNode(node);
            _nodeListDirty |= before is null;
            return before != Signature(node);
        }
        _nodes[name] = new NodeInfo(node);
        _nodeListDirty = true;
        return true;
    }

    public void RemoveNode(string name)
    {
        if (!_nodes.TryGetValue(name, out var info)) return;
        // Pods still bound to a deleted node keep a placeholder until their own delete events arrive.
        if (info.PodCount == 0) _nodes.Remove(name);
        else _nodes[name] = PlaceholderWith(info);
        _nodeListDirty = true;
    }

    /// <summary>Records a bound pod; an assumed one is confirmed. True when the pod is new to the cache.</summary>
    public bool AddOrUpdatePod(PodInfo pod)
    {
        var isNew = !_pods.ContainsKey(pod.Key);
        RemovePodInternal(pod.Key);
        _assumed.Remove(pod.Key);
        AddPodInternal(pod, pod.Pod.Spec.NodeName!);
        return isNew;
    }

    /// <summary>Removes a pod (deleted or finished); true when it was in the cache.</summary>
    public bool RemovePod(string key)
    {
        _assumed.Remove(key);
        return RemovePodInternal(key);
    }

    /// <summary>Counts the pod on <paramref name="nodeName"/> before the binding is confirmed, so the next cycle sees it.</summary>
    public void Assume(PodInfo pod, string nodeName)
    {
        RemovePodInternal(pod.Key);
        AddPodInternal(pod, nodeName);
        _assumed.Add(pod.Key);
    }

    /// <summary>Drops an assumption after a failed bind; a pod already confirmed by an event stays.</summary>
    public void Forget(string key)
    {
        if (_assumed.Remove(key)) RemovePodInternal(key);
    }

    private void AddPodInternal(PodInfo pod, string nodeName)
    {
        pod.NodeName = nodeName;
        _pods[pod.Key] = pod;
        if (!_nodes.TryGetValue(nodeName, out var node)) _nodes[nodeName] = node = new NodeInfo(nodeName);
        node.AddPod(pod);
        _index.Add(pod);
        if (pod.RequiredAntiAffinity.Count > 0) _withRequiredAnti.Add(pod);
        if (pod.PreferredAffinity.Count + pod.PreferredAntiAffinity.Count > 0) _withPreferred.Add(pod);
    }

    private bool RemovePodInternal(string key)
    {
        if (!_pods.Remove(key, out var pod)) return false;
        if (pod.NodeName is { } n && _nodes.TryGetValue(n, out var node))
        {
            node.RemovePod(key);
            if (node.Node is null && node.PodCount == 0) _nodes.Remove(n);
        }
        _index.Remove(pod);
        _withRequiredAnti.Remove(pod);
        _withPreferred.Remove(pod);
        return true;
    }

    private static NodeInfo PlaceholderWith(NodeInfo info)
    {
        var placeholder = new NodeInfo(info.Name);
        foreach (var p in info.Pods) placeholder.AddPod(p);
        return placeholder;
    }

    /// <summary>The parts of a node that change what fits; heartbeats and conditions are left out so they requeue nothing.</summary>
    private static string Signature(Node n) => System.Text.Json.JsonSerializer.Serialize(
        new { n.Metadata.Labels, n.Spec, n.Status?.Allocatable, n.Status?.Capacity, n.Status?.PortRange }, ResourceJson.Options);
}
