using Platform.Scheduler.Plugins.TaintToleration;

namespace Platform.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// <c>topologySpreadConstraints</c>: pods matching a constraint's selector (in the pod's namespace) are counted per
/// value of its topology key over the nodes the constraint includes (every topology key present; the pod's node
/// selector and required affinity unless <c>nodeAffinityPolicy: Ignore</c>; with <c>nodeTaintsPolicy: Honor</c> only
/// nodes whose NoSchedule/NoExecute taints the pod tolerates).
/// DoNotSchedule is a filter: placing the pod must keep (count + 1 − global minimum) ≤ maxSkew. ScheduleAnyway is a
/// score: fewer matching pods in the node's domain is better.
/// </summary>
internal sealed class PodTopologySpread : IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "PodTopologySpread";
    public const string ReasonSkew = "node(s) didn't match pod topology spread constraints";
    public const string ReasonMissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)";
    private const string FilterKey = PluginName + "/filter";
    private const string ScoreKey = PluginName + "/score";

    private static readonly Status SkewStatus = Status.Unschedulable(ReasonSkew).WithPlugin(PluginName);
    private static readonly Status MissingLabelStatus = Status.Unresolvable(ReasonMissingLabel).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster)
    {
        var hard = pod.Spread.Where(c => c.Hard).ToList();
        if (hard.Count == 0) return Status.Skip;
        state.Write(FilterKey, Count(pod, hard, cluster));
        return Status.Success;
    }

    public void AddPod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) => Update(state, pod, other, node, +1);

    public void RemovePod(CycleState state, PodInfo pod, PodInfo other, NodeInfo node) => Update(state, pod, other, node, -1);

    /// <summary>kube-scheduler's updateWithPod: a matching pod of the namespace on an eligible node moves its domain's count and the minimum.</summary>
    private static void Update(CycleState state, PodInfo pod, PodInfo other, NodeInfo node, int delta)
    {
        if (state.TryRead<SpreadCounts>(FilterKey) is not { } s || other.Namespace != pod.Namespace) return;
        var constraints = s.Constraints.ToList();
        if (!HasKeys(node, constraints)) return;
        for (var i = 0; i < constraints.Count; i++)
        {
            if (!constraints[i].Selector.Matches(other.Labels) || !Includes(constraints[i], node, pod)) continue;
            var value = node.Labels[constraints[i].TopologyKey];
            s.Counts[i][value] = s.Counts[i].GetValueOrDefault(value) + delta;
            s.MinCounts[i] = s.Counts[i].Values.Min();
        }
    }

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        var s = state.Read<SpreadCounts>(FilterKey);
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value)) return MissingLabelStatus;
            var skew = s.Counts[i].GetValueOrDefault(value) + s.Self[i] - s.MinCounts[i];
            if (skew > c.MaxSkew) return SkewStatus;
        }
        return Status.Success;
    }

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> feasible, IClusterView cluster)
    {
        var soft = pod.Spread.Where(c => !c.Hard).ToList();
        if (soft.Count == 0) return Status.Skip;
        state.Write(ScoreKey, Count(pod, soft, cluster));
        return Status.Success;
    }

    /// <summary>Matching pods in the node's domains; −1 when the node lacks a topology key (it then scores 0).</summary>
    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var s = state.Read<SpreadCounts>(ScoreKey);
        long sum = 0;
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            if (!node.Labels.TryGetValue(s.Constraints[i].TopologyKey, out var value)) return -1;
            sum += s.Counts[i].GetValueOrDefault(value);
        }
        return sum;
    }

    public void NormalizeScore(CycleState state, PodInfo pod, Span<long> scores)
    {
        long min = long.MaxValue, max = long.MinValue;
        foreach (var v in scores)
            if (v >= 0) { min = Math.Min(min, v); max = Math.Max(max, v); }
        for (var i = 0; i < scores.Length; i++)
            scores[i] = scores[i] < 0 ? 0 : max == min ? IScorePlugin.MaxNodeScore : IScorePlugin.MaxNodeScore * (max - scores[i]) / (max - min);
    }

    private static SpreadCounts Count(PodInfo pod, List<SpreadConstraint> constraints, IClusterView cluster)
    {
        var result = new SpreadCounts(constraints);
        var needsAffinity = !pod.RequiredNodeSelector.IsEmpty;
        // Every domain of an included node exists with count 0, so an empty zone pulls the minimum down. With one
        // topology key, no node affinity and taints ignored, the domains are the key's values, kept by the cache: no
        // walk over nodes.
        if (!needsAffinity && constraints.All(c => c.TopologyKey == constraints[0].TopologyKey && !c.HonorTaints))
        {
            foreach (var value in cluster.TopologyValues(constraints[0].TopologyKey))
                foreach (var counts in result.Counts) counts[value] = 0;
        }
        else
        {
            foreach (var node in cluster.Nodes)
            {
                if (!HasKeys(node, constraints)) continue;
                for (var i = 0; i < constraints.Count; i++)
                    if (Includes(constraints[i], node, pod)) result.Counts[i].TryAdd(node.Labels[constraints[i].TopologyKey], 0);
            }
        }
        for (var i = 0; i < constraints.Count; i++)
        {
            var c = constraints[i];
            var counts = result.Counts[i];
            foreach (var other in cluster.PodsMatching(c.Selector))
            {
                if (other.Namespace != pod.Namespace || other.NodeName is null) continue;
                var node = cluster.GetNode(other.NodeName);
                if (node is null || !HasKeys(node, constraints) || !Includes(c, node, pod)) continue;
                var value = node.Labels[c.TopologyKey];
                counts[value] = counts.GetValueOrDefault(value) + 1;
            }
            result.MinCounts[i] = counts.Count == 0 ? 0 : counts.Values.Min();
            result.Self[i] = c.Selector.Matches(pod.Labels) ? 1 : 0;
        }
        return result;
    }

    /// <summary>kube-scheduler's nodeLabelsMatchSpreadConstraints: a node lacking any constraint's key is no domain.</summary>
    private static bool HasKeys(NodeInfo node, List<SpreadConstraint> constraints)
    {
        foreach (var c in constraints)
            if (!node.Labels.ContainsKey(c.TopologyKey)) return false;
        return true;
    }

    /// <summary>kube-scheduler's matchNodeInclusionPolicies: the constraint's nodeAffinityPolicy and nodeTaintsPolicy.</summary>
    private static bool Includes(SpreadConstraint c, NodeInfo node, PodInfo pod)
    {
        if (c.HonorAffinity && !pod.RequiredNodeSelector.IsEmpty && !pod.RequiredNodeSelector.Matches(node)) return false;
        if (!c.HonorTaints) return true;
        foreach (var taint in node.Taints)
            if (taint.Effect is "NoSchedule" or "NoExecute" && !Tolerations.AnyTolerates(pod.Pod.Spec.Tolerations, taint)) return false;
        return true;
    }
}
