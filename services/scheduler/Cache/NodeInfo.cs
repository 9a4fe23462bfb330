using Platform.Contracts.Resources;


namespace Platform.Scheduler.Cache;

/// <summary>
/// A node with per-node aggregates kept up to date as pods are added and removed (requested resources, used host
/// ports, pods with affinity), so a filter answers in O(1) instead of walking the node's pods.
/// </summary>
internal sealed class NodeInfo
{
    private static readonly Dictionary<string, string> NoLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<HostPort, int> _usedPorts = [];
    private readonly Dictionary<string, long> _requestedScalars = new(StringComparer.Ordinal);

    public NodeInfo(string name) => Name = name;

    public NodeInfo(Node node) : this(node.Metadata.Name ?? "") => SetNode(node);

    public string Name { get; }
    /// <summary>Null for a placeholder: pods arrived for a node the cache has not seen yet.</summary>
    public Node? Node { get; private set; }
    public IReadOnlyDictionary<string, string> Labels { get; private set; } = NoLabels;
    public IReadOnlyList<Taint> Taints { get; private set; } = [];
    public bool Unschedulable { get; private set; }
    public long AllocatableMilliCpu { get; private set; }
    public long AllocatableMemory { get; private set; }
    public long AllocatablePods { get; private set; }
    public IReadOnlyDictionary<string, long> AllocatableScalars { get; private set; } = new Dictionary<string, long>();
    /// <summary>Size of the node agent's port range (0 when the node declares none: ports are then not counted).</summary>
    public int PortRangeSize { get; private set; }

    public long RequestedMilliCpu { get; private set; }
    public long RequestedMemory { get; private set; }
    public long NonZeroRequestedMilliCpu { get; private set; }
    public long NonZeroRequestedMemory { get; private set; }
    public IReadOnlyDictionary<string, long> RequestedScalars => _requestedScalars;
    public int PodCount => _pods.Count;
    public IReadOnlyCollection<PodInfo> Pods => _pods.Values;
    public int AllocatedPortsUsed { get; private set; }
    public int PodsWithAffinityCount { get; private set; }
    /// <summary>Bumped on every change; lets tests and snapshots see that a node changed.</summary>
    public long Generation { get; private set; }

    public bool PortInUse(HostPort port) => _usedPorts.ContainsKey(port);

    public void SetNode(Node node)
    {
        Node = node;
        Labels = node.Metadata.Labels ?? NoLabels;
        Taints = node.Spec.Taints ?? [];
        Unschedulable = node.Spec.Unschedulable == true;
        var alloc = node.Status?.Allocatable ?? node.Status?.Capacity;
        AllocatableMilliCpu = Read(alloc, "cpu");
        AllocatableMemory = Read(alloc, "memory");
        AllocatablePods = alloc is not null && alloc.ContainsKey("pods") ? Read(alloc, "pods") : 110;
        var scalars = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (k, _) in alloc ?? []) if (k is not ("cpu" or "memory" or "pods")) scalars[k] = Read(alloc, k);
        AllocatableScalars = scalars;
        PortRangeSize = ParseRange(node.Status?.PortRange);
        Generation++;
    }

    public void AddPod(PodInfo pod)
    {
        _pods[pod.Key] = pod;
        Apply(pod, +1);
    }

    public bool RemovePod(string key)
    {
        if (!_pods.Remove(key, out var pod)) return false;
        Apply(pod, -1);
        return true;
    }

    private void Apply(PodInfo pod, int sign)
    {
        var r = pod.Requests;
        RequestedMilliCpu += sign * r.MilliCpu;
        RequestedMemory += sign * r.Memory;
        NonZeroRequestedMilliCpu += sign * r.NonZeroMilliCpu;
        NonZeroRequestedMemory += sign * r.NonZeroMemory;
        foreach (var (k, v) in r.Scalars)
        {
            _requestedScalars.TryGetValue(k, out var s);
            _requestedScalars[k] = s + sign * v;
        }
        foreach (var p in pod.HostPorts)
        {
            _usedPorts.TryGetValue(p, out var n);
            if (n + sign <= 0) _usedPorts.Remove(p);
            else _usedPorts[p] = n + sign;
        }
        AllocatedPortsUsed += sign * (pod.AllocatedPortsWanted + pod.AllocatedPortsHeld);
        if (pod.HasAffinityTerms) PodsWithAffinityCount += sign;
        Generation++;
    }

    private static long Read(ResourceList? list, string name) =>
        list is not null && list.TryGetValue(name, out var text) && Quantity.TryParse(text, out var q) ? PodRequests.Amount(name, q) : 0;

    private static int ParseRange(string? range)
    {
        if (string.IsNullOrEmpty(range)) return 0;
        var parts = range.Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var lo) && int.TryParse(parts[1], out var hi) && hi >= lo ? hi - lo + 1 : 0;
    }

    public override string ToString() => Name;
}
