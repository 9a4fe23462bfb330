namespace Platform.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// Required pod affinity and anti-affinity as a filter (including the anti-affinity of pods already placed, which
/// is symmetric), preferred terms as a score: the incoming pod's preferred terms against assigned pods and assigned
/// pods' preferred terms against the incoming pod add (affinity) or subtract (anti-affinity) their weight in the
/// matched pod's domain; scores are min-max normalized.
/// </summary>
internal sealed class InterPodAffinity : IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "InterPodAffinity";
    public const string ReasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
    public const string ReasonAffinity = "node(s) didn't match pod affinity rules";
    public const string ReasonAntiAffinity = "node(s) didn't match pod anti-affinity rules";
    private const string FilterKey = PluginName + "/filter";
    private const string ScoreKey = PluginName + "/score";

    private static readonly Status ExistingAntiAffinityStatus = Status.Unschedulable(ReasonExistingAntiAffinity).WithPlugin(PluginName);
    private static readonly Status AffinityStatus = Status.Unresolvable(ReasonAffinity).WithPlugin(PluginName);
    private static readonly Status AntiAffinityStatus = Status.Unschedulable(ReasonAntiAffinity).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster)
    {
        var s = new AffinityState();
        foreach (var (existing, term) in cluster.RequiredAntiAffinityTermsMatching(pod))
        {
            var node = existing.NodeName is null ? null : cluster.GetNode(existing.NodeName);
            if (node is not null && node.Labels.TryGetValue(term.TopologyKey, out var v)) s.ExistingAntiAffinity.Add(term.TopologyKey, v, 1);
        }
        if (pod.RequiredAffinity.Count > 0)
        {
            foreach (var other in cluster.PodsMatching(pod.RequiredAffinity[0].Selector))
            {
                if (!pod.RequiredAffinity.All(t => t.Matches(other))) continue;
                var node = other.NodeName is null ? null : cluster.GetNode(other.NodeName);
                if (node is null) continue;
                foreach (var t in pod.RequiredAffinity)
                    if (node.Labels.TryGetValue(t.TopologyKey, out var v)) s.Affinity.Add(t.TopologyKey, v, 1);
            }
        }
        foreach (var term in pod.RequiredAntiAffinity)
            foreach (var other in cluster.PodsMatching(term.Selector))
            {
                if (!term.Namespaces.Contains(other.Namespace)) continue;
                var node = other.NodeName is null ? null : cluster.GetNode(other.NodeName);
                if (node is not null && node.Labels.TryGetValue(term.TopologyKey, out var v)) s.AntiAffinity.Add(term.TopologyKey, v, 1);
            }
        // As kube-scheduler: a pod with its own required terms keeps the filter (and its state) even without matches
        // yet, so a nominated pod or a returning victim that matches is still counted.
        if (s.ExistingAntiAffinity.IsEmpty && pod.RequiredAffinity.Count == 0 && pod.RequiredAntiAffinity.Count == 0) return Status.Skip;
        state.Write(FilterKey, s);
        return Status.Success;
    }

    public void AddPod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) => Update(state, pod, other, node, +1);

    public void RemovePod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) => Update(state, pod, other, node, -1);

    /// <summary>kube-scheduler's updateWithPod: the counts PreFilter made, with <paramref name="other"/> on the node or off it.</summary>
    private static void Update(CycleState state, PodInfo pod, PodInfo other, NodeInfo node, long delta)
    {
        if (state.TryRead<AffinityState>(FilterKey) is not { } s) return;
        foreach (var t in other.RequiredAntiAffinity)
            if (t.Matches(pod) && node.Labels.TryGetValue(t.TopologyKey, out var v)) s.ExistingAntiAffinity.Add(t.TopologyKey, v, delta);
        if (pod.RequiredAffinity.Count > 0 && pod.RequiredAffinity.All(t => t.Matches(other)))
            foreach (var t in pod.RequiredAffinity)
                if (node.Labels.TryGetValue(t.TopologyKey, out var v)) s.Affinity.Add(t.TopologyKey, v, delta);
        foreach (var t in pod.RequiredAntiAffinity)
            if (t.Matches(other) && node.Labels.TryGetValue(t.TopologyKey, out var v)) s.AntiAffinity.Add(t.TopologyKey, v, delta);
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        var s = state.Read<AffinityState>(FilterKey);
        // kube-scheduler's order, so the reason users see is the same: own affinity, own anti-affinity, then others' anti-affinity.
        if (pod.RequiredAffinity.Count > 0 && !SatisfiesAffinity(s, pod, node)) return AffinityStatus;
        if (!s.AntiAffinity.IsEmpty)
            foreach (var t in pod.RequiredAntiAffinity)
                if (node.Labels.TryGetValue(t.TopologyKey, out var v) && s.AntiAffinity.Get(t.TopologyKey, v) > 0)
                    return AntiAffinityStatus;
        if (s.ExistingAntiAffinity.AnyPositiveFor(node)) return ExistingAntiAffinityStatus;
        return Status.Success;
    }

    private static bool SatisfiesAffinity(AffinityState s, PodInfo pod, NodeInfo node)
    {
        var podsExist = true;
        foreach (var t in pod.RequiredAffinity)
        {
            if (!node.Labels.TryGetValue(t.TopologyKey, out var v)) return false;
            if (s.Affinity.Get(t.TopologyKey, v) <= 0) podsExist = false;
        }
        // The first pod of a group that wants to be with its own kind may go anywhere its terms' keys exist.
        return podsExist || (s.Affinity.IsEmpty && pod.RequiredAffinity.All(t => t.Matches(pod)));
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> feasible, IClusterView cluster)
    {
        var scores = new TopologyCounts();
        foreach (var t in pod.PreferredAffinity) AddMatches(scores, t, +t.Weight, cluster);
        foreach (var t in pod.PreferredAntiAffinity) AddMatches(scores, t, -t.Weight, cluster);
        foreach (var existing in cluster.PodsWithPreferredAffinity)
        {
            if (existing.PreferredAffinity.Count + existing.PreferredAntiAffinity.Count == 0) continue;
            var node = existing.NodeName is null ? null : cluster.GetNode(existing.NodeName);
            if (node is null) continue;
            foreach (var t in existing.PreferredAffinity)
                if (node.Labels.TryGetValue(t.TopologyKey, out var v) && t.Matches(pod)) scores.Add(t.TopologyKey, v, t.Weight);
            foreach (var t in existing.PreferredAntiAffinity)
                if (node.Labels.TryGetValue(t.TopologyKey, out var v) && t.Matches(pod)) scores.Add(t.TopologyKey, v, -t.Weight);
        }
        if (scores.IsEmpty) return Status.Skip;
        state.Write(ScoreKey, scores);
        return Status.Success;
    }

    public long Score(CycleState state, PodInfo pod, NodeInfo node) => state.Read<TopologyCounts>(ScoreKey).SumFor(node);

    public void NormalizeScore(CycleState state, PodInfo pod, Span<long> scores) => ScoreNormalizer.MinMax(scores);

    private static void AddMatches(TopologyCounts scores, AffinityTerm term, long weight, IClusterView cluster)
    {
        foreach (var other in cluster.PodsMatching(term.Selector))
        {
            if (!term.Namespaces.Contains(other.Namespace)) continue;
            var node = other.NodeName is null ? null : cluster.GetNode(other.NodeName);
            if (node is not null && node.Labels.TryGetValue(term.TopologyKey, out var v)) scores.Add(term.TopologyKey, v, weight);
        }
    }
}
