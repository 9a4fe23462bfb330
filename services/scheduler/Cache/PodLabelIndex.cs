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
        foreach (var key in pod.LabelPairs)
        {
            if (!_byLabel.TryGetValue(key, out var set)) _byLabel[key] = set = [];
            set.Add(pod);
        }
    }

    public void Remove(PodInfo pod)
    {
        _all.Remove(pod);
        foreach (var key in pod.LabelPairs)
            if (_byLabel.TryGetValue(key, out var set) && set.Remove(pod) && set.Count == 0) _byLabel.Remove(key);
    }

    public IEnumerable<PodInfo> Matching(Selector selector)
    {
        // The smallest candidate set among the selector's equality/in requirements; the full set only without one.
        HashSet<PodInfo>? single = null;
        List<HashSet<PodInfo>>? several = null;
        var bestCount = int.MaxValue;
        foreach (var r in selector.Requirements)
        {
            if (r.Operator is not (SelectorOperator.Equals or SelectorOperator.In)) continue;
            if (r.Values.Count == 1)
            {
                var set = _byLabel.GetValueOrDefault(r.Key + "=" + r.Values[0]);
                var count = set?.Count ?? 0;
                if (count < bestCount) (bestCount, single, several) = (count, set ?? Empty, null);
                continue;
            }
            var sets = new List<HashSet<PodInfo>>(r.Values.Count);
            var total = 0;
            foreach (var v in r.Values)
                if (_byLabel.TryGetValue(r.Key + "=" + v, out var set)) { sets.Add(set); total += set.Count; }
            if (total < bestCount) (bestCount, single, several) = (total, null, sets);
        }
        if (several is not null)
        {
            foreach (var set in several)
                foreach (var p in set)
                    if (selector.Matches(p.Labels)) yield return p;
            yield break;
        }
        foreach (var p in single ?? _all)
            if (selector.Matches(p.Labels)) yield return p;
    }

    private static readonly HashSet<PodInfo> Empty = [];
}
