namespace Platform.Scheduler.Plugins.InterPodAffinity;

/// <summary>A number per (topology key, value) pair, e.g. matching pods in zone <c>a</c>; kept as key → value → count.</summary>
internal sealed class TopologyCounts
{
    private readonly Dictionary<string, Dictionary<string, long>> _byKey = new(StringComparer.Ordinal);

    public bool IsEmpty => _byKey.Count == 0;

    public void Add(string key, string value, long delta)
    {
        if (!_byKey.TryGetValue(key, out var values)) _byKey[key] = values = new(StringComparer.Ordinal);
        values[value] = values.GetValueOrDefault(value) + delta;
    }

    public long Get(string key, string value) => _byKey.TryGetValue(key, out var values) ? values.GetValueOrDefault(value) : 0;

    /// <summary>Sum over every pair the node is in.</summary>
    public long SumFor(NodeInfo node)
    {
        long sum = 0;
        foreach (var (key, values) in _byKey)
            if (node.Labels.TryGetValue(key, out var v)) sum += values.GetValueOrDefault(v);
        return sum;
    }

    /// <summary>Whether the node is in any pair with a positive count.</summary>
    public bool AnyPositiveFor(NodeInfo node)
    {
        foreach (var (key, values) in _byKey)
            if (node.Labels.TryGetValue(key, out var v) && values.GetValueOrDefault(v) > 0) return true;
        return false;
    }
}
