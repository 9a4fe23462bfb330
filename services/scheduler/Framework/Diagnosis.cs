namespace Platform.Scheduler.Framework;

/// <summary>
/// Why no node fit: each reason with the number of nodes that gave it, rendered as kube-scheduler's summary
/// <c>0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}</c>.
/// </summary>
internal sealed class Diagnosis(int totalNodes)
{
    private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);

    public int TotalNodes { get; } = totalNodes;
    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);
    public IReadOnlyDictionary<string, int> Reasons => _reasons;

    public void Add(Status status, int nodes = 1)
    {
        if (status.Plugin is not null) UnschedulablePlugins.Add(status.Plugin);
        foreach (var r in status.Reasons) _reasons[r] = _reasons.GetValueOrDefault(r) + nodes;
    }

    /// <summary>Most frequent reason first, ties in text order, so the summary is stable.</summary>
    public string Message()
    {
        if (TotalNodes == 0) return "0/0 nodes are available: no nodes available to schedule pods";
        var parts = _reasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}");
        return $"0/{TotalNodes} nodes are available: {string.Join(", ", parts)}";
    }
}
