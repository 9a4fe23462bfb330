namespace Platform.Scheduler.Framework;

/// <summary>
/// Why no node fit: each reason with the number of nodes that gave it, rendered as kube-scheduler's summary
/// <c>0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}</c>.
/// Rejections are only collected during filtering (most cycles succeed and never need the summary) and
/// counted when <see cref="Reasons"/> or <see cref="Message"/> is asked for.
/// </summary>
internal sealed class Diagnosis(int totalNodes)
{
    private readonly List<(Status Status, int Nodes)> _rejections = [];
    private Dictionary<string, int>? _reasons;

    public int TotalNodes { get; } = totalNodes;

    public IEnumerable<string> UnschedulablePlugins => _rejections.Select(r => r.Status.Plugin).OfType<string>().Distinct();

    public IReadOnlyDictionary<string, int> Reasons => _reasons ??= Count();

    public void Add(Status status, int nodes = 1)
    {
        _rejections.Add((status, nodes));
        _reasons = null;
    }

    /// <summary>Most frequent reason first, ties in text order, so the summary is stable.</summary>
    public string Message()
    {
        if (TotalNodes == 0) return "0/0 nodes are available: no nodes available to schedule pods";
        var parts = Reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}");
        return $"0/{TotalNodes} nodes are available: {string.Join(", ", parts)}";
    }

    private Dictionary<string, int> Count()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (status, nodes) in _rejections)
            foreach (var r in status.Reasons) counts[r] = counts.GetValueOrDefault(r) + nodes;
        return counts;
    }
}
