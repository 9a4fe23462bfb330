using Platform.Contracts.Resources;

namespace Platform.Scheduler.Cache;

/// <summary>
/// Assigned pods by <c>key=value</c> label. A selector with an equality or <c>in</c> requirement visits only the pods
/// carrying one of those labels, so topology spread and inter-pod affinity cost grows with the matching pods,
/// not with every pod in the cluster.
/// </summary>
internal sealed class PodLabelIndex
{
    private readonly Dictionary<string, HashSet<PodInfo>> _byLabel = new(StringComparer.Ordinal);
    private readonly HashSet<PodInfo> _all = [];

    public int Count => _all.Count;

    public void Add(PodInfo pod)
    {
        _all.Add(pod);
        foreach (var (k, v) in pod.Labels)
        {
            var key = k + "=" + v;
            if (!_byLabel.TryGetValue(key, out var set)) _byLabel[key] = set = [];
            set.Add(pod);
        }
    }

    public void Remove(PodInfo pod)
    {
        _all.Remove(pod);
        foreach (var (k, v) in pod.Labels)
        {
            var key = k + "=" + v;
            if (_byLabel.TryGetValue(key, out var set) && set.Remove(pod) && set.Count == 0) _byLabel.Remove(key);
        }
    }

    public IEnumerable<PodInfo> Matching(Selector selector)
    {
        IEnumerable<PodInfo>? best = null;
        var bestCount = int.MaxValue;
        foreach (var r in selector.Requirements)
        {
            if (r.Operator is not (SelectorOperator.Equals or SelectorOperator.In)) continue;
            var sets = r.Values.Select(v => _byLabel.GetValueOrDefault(r.Key + "=" + v)).Where(s => s is not null).Select(s => s!).ToList();
            var count = sets.Sum(s => s.Count);
            if (count < bestCount)
            {
                bestCount = count;
                best = sets.Count == 1 ? sets[0] : sets.SelectMany(s => s);
            }
        }
        var candidates = best ?? _all;
        foreach (var p in candidates)
            if (selector.Matches(p.Labels)) yield return p;
    }
}
