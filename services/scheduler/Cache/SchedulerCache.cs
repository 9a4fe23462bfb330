using Platform.Contracts.Resources;

namespace Platform.Scheduler.Cache;

/// <summary>
/// Nodes and assigned pods (bound, and assumed: chosen by this scheduler but not yet confirmed by an event), with
/// per-node aggregates and a label index. One lock guards it: the informer applies events under it and a
/// scheduling cycle runs under it, so a cycle sees one consistent state (the role of kube-scheduler's snapshot).
/// </summary>
internal sealed partial class SchedulerCache : IClusterView
{
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _assumed = new(StringComparer.Ordinal);
    private readonly PodLabelIndex _index = new();
    private readonly AntiAffinityIndex _antiAffinity = new();
    private readonly HashSet<PodInfo> _withPreferred = [];
    private readonly Dictionary<string, Dictionary<string, int>> _topology = new(StringComparer.Ordinal);
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

    public IEnumerable<(PodInfo Owner, AffinityTerm Term)> RequiredAntiAffinityTermsMatching(PodInfo pod) => _antiAffinity.Matching(pod);

    public IReadOnlyCollection<PodInfo> PodsWithPreferredAffinity => _withPreferred;

    public int PodCount => _pods.Count;

    public IReadOnlyCollection<string> TopologyValues(string key) =>
        _topology.TryGetValue(key, out var values) ? values.Keys : [];

    public bool IsAssumed(string key) => _assumed.Contains(key);

    public PodInfo? GetPod(string key) => _pods.GetValueOrDefault(key);

    /// <summary>Adds or replaces a node; true when something scheduling depends on changed (or the node is new).</summary>
    public bool AddOrUpdateNode(Node node)
    {
        var name = node.Metadata.Name ?? "";
        if (_nodes.TryGetValue(name, out var info))
        {
            var before = info.Node is null ? null : Signature(info.Node);
            if (info.Node is not null) CountTopology(info.Labels, -1);
            info.SetNode(node);
            CountTopology(info.Labels, +1);
            _nodeListDirty |= before is null;
            return before != Signature(node);
        }
        _nodes[name] = info = new NodeInfo(node);
        CountTopology(info.Labels, +1);
        _nodeListDirty = true;
        return true;
    }

    public void RemoveNode(string name)
    {
        if (!_nodes.TryGetValue(name, out var info) || info.Node is null) return;
        CountTopology(info.Labels, -1);
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
        Unnominate(pod.Key);
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
        if (pod.RequiredAntiAffinity.Count > 0) _antiAffinity.Add(pod);
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
        if (pod.RequiredAntiAffinity.Count > 0) _antiAffinity.Remove(pod);
        _withPreferred.Remove(pod);
        return true;
    }

    /// <summary>Nodes per label value, so topology spread knows every domain without walking all nodes.</summary>
    private void CountTopology(IReadOnlyDictionary<string, string> labels, int delta)
    {
        foreach (var (k, v) in labels)
        {
            if (!_topology.TryGetValue(k, out var values)) _topology[k] = values = new(StringComparer.Ordinal);
            var n = values.GetValueOrDefault(v) + delta;
            if (n > 0) values[v] = n;
            else
            {
                values.Remove(v);
                if (values.Count == 0) _topology.Remove(k);
            }
        }
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
