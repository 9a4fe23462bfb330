using Platform.Contracts.Resources;

namespace Platform.Scheduler.Cache;

/// <summary>
/// Required anti-affinity terms of assigned pods, indexed by one <c>key=value</c> their selector requires. An
/// incoming pod looks up only the terms keyed by its own labels (plus the few terms without an equality), so
/// checking "does an existing pod repel me" costs the matching terms, not every pod with anti-affinity.
/// </summary>
internal sealed class AntiAffinityIndex
{
    private readonly Dictionary<string, HashSet<(PodInfo Owner, AffinityTerm Term)>> _byLabel = new(StringComparer.Ordinal);
    private readonly HashSet<(PodInfo Owner, AffinityTerm Term)> _unindexed = [];

    public void Add(PodInfo owner)
    {
        foreach (var t in owner.RequiredAntiAffinity)
        {
            var keys = IndexKeys(t);
            if (keys is null) _unindexed.Add((owner, t));
            else
                foreach (var k in keys)
                {
                    if (!_byLabel.TryGetValue(k, out var set)) _byLabel[k] = set = [];
                    set.Add((owner, t));
                }
        }
    }

    public void Remove(PodInfo owner)
    {
        foreach (var t in owner.RequiredAntiAffinity)
        {
            var keys = IndexKeys(t);
            if (keys is null) _unindexed.Remove((owner, t));
            else
                foreach (var k in keys)
                    if (_byLabel.TryGetValue(k, out var set) && set.Remove((owner, t)) && set.Count == 0) _byLabel.Remove(k);
        }
    }

    /// <summary>Terms whose selector and namespaces match <paramref name="pod"/>, with the pod that owns each.</summary>
    public IEnumerable<(PodInfo Owner, AffinityTerm Term)> Matching(PodInfo pod)
    {
        foreach (var e in _unindexed)
            if (e.Term.Matches(pod)) yield return e;
        foreach (var key in pod.LabelPairs)
            if (_byLabel.TryGetValue(key, out var set))
                foreach (var e in set)
                    if (e.Term.Matches(pod)) yield return e;
    }

    /// <summary>
    /// The labels one of which a matching pod must carry: the values of the first equality or <c>in</c> requirement.
    /// A term is listed under each of them, and a pod carries at most one value per key, so no term is returned twice.
    /// </summary>
    private static IEnumerable<string>? IndexKeys(AffinityTerm t)
    {
        foreach (var r in t.Selector.Requirements)
            if (r.Operator is SelectorOperator.Equals or SelectorOperator.In)
                return r.Values.Select(v => r.Key + "=" + v).Distinct();
        return null;
    }
}
