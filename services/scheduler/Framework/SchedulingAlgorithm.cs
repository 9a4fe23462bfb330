namespace Platform.Scheduler.Framework;

/// <summary>
/// One scheduling cycle: PreFilter, Filter (from a rotating start node, stopping once enough feasible nodes were
/// found), PostFilter when none fit, PreScore, Score, NormalizeScore and weighted selection of the best node. Runs
/// under the cache lock; not thread-safe (one cycle at a time, as in kube-scheduler).
/// </summary>
internal sealed class SchedulingAlgorithm(Profile profile, Random? random = null)
{
    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentageToFind = 5;
    private readonly Random _random = random ?? Random.Shared;
    private int _nextStartNodeIndex;

    public Profile Profile { get; } = profile;

    public ScheduleResult Schedule(CycleState state, PodInfo pod, IClusterView cluster)
    {
        var nodes = cluster.Nodes;
        var diagnosis = new Diagnosis(nodes.Count);
        if (nodes.Count == 0) return new ScheduleResult(null, 0, 0, diagnosis);

        foreach (var p in Profile.PreFilter)
        {
            var s = p.PreFilter(state, pod, cluster);
            if (s.Code == StatusCode.Skip) state.SkipFilter(p.Name);
            else if (s.IsRejected)
            {
                diagnosis.Add(s.WithPlugin(p.Name), nodes.Count);
                return new ScheduleResult(null, 0, 0, diagnosis);
            }
            else if (!s.IsSuccess) return new ScheduleResult(null, 0, 0, Error: s.WithPlugin(p.Name));
        }

        var filters = Profile.Filter.Where(f => !state.FilterSkipped(f.Name)).ToArray();
        NodeSimulation simulation = null!;
        simulation = new NodeSimulation(Profile, state, pod, node => FilterWithNominated(filters, state, pod, node, cluster, simulation));
        var toFind = NumFeasibleNodesToFind(nodes.Count);
        var feasible = new List<NodeInfo>(Math.Min(toFind, nodes.Count));
        var start = _nextStartNodeIndex % nodes.Count;
        var processed = 0;
        for (var i = 0; i < nodes.Count && feasible.Count < toFind; i++)
        {
            var node = nodes[(start + i) % nodes.Count];
            processed++;
            var status = FilterWithNominated(filters, state, pod, node, cluster, simulation);
            if (status.IsSuccess) feasible.Add(node);
            else if (status.IsRejected) diagnosis.Add(status);
            else return new ScheduleResult(null, processed, 0, Error: status);
        }
        // The next pod starts where this one stopped, so every node gets looked at over time.
        _nextStartNodeIndex = (start + processed) % nodes.Count;

        if (feasible.Count == 0)
        {
            foreach (var p in Profile.PostFilter)
            {
                var r = p.PostFilter(state, pod, diagnosis, cluster, simulation);
                if (r.Status.IsSuccess && r.NominatedNode is not null) return new ScheduleResult(null, processed, 0, diagnosis, Preemption: r);
            }
            return new ScheduleResult(null, processed, 0, diagnosis);
        }
        if (feasible.Count == 1) return new ScheduleResult(feasible[0].Name, processed, 1);

        var totals = ScoreNodes(state, pod, feasible, cluster, out var error);
        if (error is not null) return new ScheduleResult(null, processed, feasible.Count, Error: error);
        return new ScheduleResult(feasible[SelectHost(totals)].Name, processed, feasible.Count);
    }

    /// <summary>
    /// kube-scheduler's RunFilterPluginsWithNominatedPods: pods nominated to the node with at least this pod's priority
    /// (other than itself) are counted there first, so the room preemption freed for them stays theirs; a node that
    /// passes with them is filtered again without them (they may not land there after all).
    /// </summary>
    private static Status FilterWithNominated(IFilterPlugin[] filters, CycleState state, PodInfo pod, NodeInfo node, IClusterView cluster, NodeSimulation simulation)
    {
        var nominated = cluster.NominatedPods(node.Name);
        if (nominated.Count == 0) return RunFilters(filters, state, pod, node);
        var added = new List<PodInfo>();
        foreach (var p in nominated)
            if (p.Key != pod.Key && p.Priority >= pod.Priority && !node.Pods.Contains(p))
            {
                simulation.AddPod(node, p);
                added.Add(p);
            }
        if (added.Count == 0) return RunFilters(filters, state, pod, node);
        Status with;
        try { with = RunFilters(filters, state, pod, node); }
        finally { foreach (var p in added) simulation.RemovePod(node, p); }
        return with.IsSuccess ? RunFilters(filters, state, pod, node) : with;
    }

    private static Status RunFilters(IFilterPlugin[] filters, CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var f in filters)
        {
            var s = f.Filter(state, pod, node);
            if (!s.IsSuccess) return s.WithPlugin(f.Name);
        }
        return Status.Success;
    }

    private long[] ScoreNodes(CycleState state, PodInfo pod, List<NodeInfo> feasible, IClusterView cluster, out Status? error)
    {
        error = null;
        foreach (var p in Profile.PreScore)
        {
            var s = p.PreScore(state, pod, feasible, cluster);
            if (s.Code == StatusCode.Skip) state.SkipScore(p.Name);
            else if (!s.IsSuccess)
            {
                error = s.WithPlugin(p.Name);
                return [];
            }
        }
        var totals = new long[feasible.Count];
        var scores = new long[feasible.Count];
        foreach (var (plugin, weight) in Profile.Score)
        {
            if (state.ScoreSkipped(plugin.Name)) continue;
            for (var i = 0; i < feasible.Count; i++) scores[i] = plugin.Score(state, pod, feasible[i]);
            plugin.NormalizeScore(state, pod, scores);
            for (var i = 0; i < feasible.Count; i++) totals[i] += scores[i] * weight;
        }
        return totals;
    }

    /// <summary>The highest total; among equal totals a uniformly random one (reservoir sampling), as kube-scheduler does.</summary>
    private int SelectHost(long[] totals)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < totals.Length; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && _random.Next(++ties) == 0)
            {
                best = i;
            }
        }
        return best;
    }

    internal int NumFeasibleNodesToFind(int all)
    {
        var pct = Profile.PercentageOfNodesToScore;
        if (all < MinFeasibleNodesToFind || pct >= 100) return all;
        if (pct <= 0) pct = Math.Max(MinFeasibleNodesPercentageToFind, 50 - (all / 125));
        return Math.Max(MinFeasibleNodesToFind, (int)((long)all * pct / 100));
    }
}
