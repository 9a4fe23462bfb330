using Platform.Contracts.Resources;

namespace Platform.Scheduler.Plugins.DefaultPreemption;

/// <summary>
/// kube-scheduler's DefaultPreemption PostFilter. When the pod fits nowhere, each node is tried with every pod of lower
/// priority removed; where the pod then fits, victims are reprieved one at a time, most important first (those whose
/// eviction would break a PodDisruptionBudget before the others), keeping only the ones without which it still does not
/// fit. The best node (<see cref="Candidate.IsBetterThan"/>) is nominated; the scheduling loop evicts its victims.
/// A pod with <c>preemptionPolicy: Never</c> never preempts.
/// </summary>
internal sealed class DefaultPreemption(IBudgetLister budgets) : IPostFilterPlugin
{
    public const string PluginName = "DefaultPreemption";

    public string Name => PluginName;

    public PostFilterResult PostFilter(CycleState state, PodInfo pod, Diagnosis diagnosis, IClusterView cluster, NodeSimulation nodes)
    {
        if (pod.Pod.Spec.PreemptionPolicy == PriorityClass.PreemptNever)
            return PostFilterResult.Unschedulable("not eligible due to preemptionPolicy=Never.");
        // kube-scheduler's podEligibleToPreemptOthers: while victims of an earlier preemption still terminate on the
        // nominated node, wait for them instead of evicting more pods elsewhere.
        if ((cluster.NominatedNodeOf(pod.Key) ?? pod.Pod.Status?.NominatedNodeName) is { Length: > 0 } nominatedNode
            && cluster.GetNode(nominatedNode) is { } held && held.Pods.Any(p => p.Pod.Metadata.DeletionTimestamp is not null && p.Priority < pod.Priority))
            return PostFilterResult.Unschedulable("not eligible due to a terminating pod on the nominated node.");
        var pdbs = budgets.List();
        Candidate? best = null;
        foreach (var node in cluster.Nodes)
            if (SelectVictims(pod, node, nodes, pdbs) is { } c && (best is null || c.IsBetterThan(best))) best = c;
        return best is null
            ? PostFilterResult.Unschedulable("No preemption victims found for incoming pod.")
            : new PostFilterResult(Status.Success, best.Node, best.Victims);
    }

    /// <summary>
    /// kube-scheduler's SelectVictimsOnNode: pods leave and return through <paramref name="nodes"/>, so affinity and
    /// spread counts see the node without them too; the node and the cycle's state are left as they were found.
    /// </summary>
    internal static Candidate? SelectVictims(PodInfo pod, NodeInfo node, NodeSimulation nodes, IReadOnlyList<PodDisruptionBudget> pdbs)
    {
        var potential = node.Pods.Where(p => p.Priority < pod.Priority).OrderBy(p => p, MoreImportantFirst.Instance).ToList();
        if (potential.Count == 0) return null;
        foreach (var p in potential) nodes.RemovePod(node, p);
        var victims = new List<PodInfo>();
        try
        {
            if (!nodes.Filter(node).IsSuccess) return null;
            var violations = 0;
            var (violating, others) = SplitByBudget(potential, pdbs);
            foreach (var (group, breaksBudget) in new[] { (violating, true), (others, false) })
                foreach (var p in group)
                {
                    nodes.AddPod(node, p);
                    if (nodes.Filter(node).IsSuccess) continue;
                    nodes.RemovePod(node, p);
                    victims.Add(p);
                    if (breaksBudget) violations++;
                }
            return new Candidate(node.Name, [.. victims.OrderBy(p => p, MoreImportantFirst.Instance)], violations);
        }
        finally
        {
            foreach (var p in potential) if (!node.Pods.Contains(p)) nodes.AddPod(node, p);
        }
    }

    /// <summary>kube-scheduler's filterPodsWithPDBViolation: spends each budget's allowed disruptions in order; the pods past it violate.</summary>
    internal static (List<PodInfo> Violating, List<PodInfo> Others) SplitByBudget(IReadOnlyList<PodInfo> pods, IReadOnlyList<PodDisruptionBudget> pdbs)
    {
        var allowed = pdbs.Select(b => b.Status?.DisruptionsAllowed ?? 0).ToArray();
        var (violating, others) = (new List<PodInfo>(), new List<PodInfo>());
        foreach (var p in pods)
        {
            var violates = false;
            for (var i = 0; i < pdbs.Count; i++)
            {
                var pdb = pdbs[i];
                if (pdb.Metadata.Namespace != p.Namespace || pdb.Spec.Selector is null || !Matches(pdb.Spec.Selector, p)) continue;
                if (pdb.Status?.DisruptedPods?.ContainsKey(p.Name) == true) continue;
                if (--allowed[i] < 0) violates = true;
            }
            (violates ? violating : others).Add(p);
        }
        return (violating, others);
    }

    private static bool Matches(LabelSelector selector, PodInfo pod)
    {
        try
        {
            var s = Selector.FromLabelSelector(selector);
            return s.Requirements.Count > 0 && s.Matches(pod.Labels);
        }
        catch (FormatException) { return false; }
    }

    /// <summary>kube-scheduler's MoreImportantPod: higher priority first, then the one that started earlier.</summary>
    private sealed class MoreImportantFirst : IComparer<PodInfo>
    {
        public static MoreImportantFirst Instance { get; } = new();

        public int Compare(PodInfo? x, PodInfo? y)
        {
            var byPriority = y!.Priority.CompareTo(x!.Priority);
            if (byPriority != 0) return byPriority;
            var (a, b) = (x.Pod.Status?.StartTime ?? x.Pod.Metadata.CreationTimestamp, y.Pod.Status?.StartTime ?? y.Pod.Metadata.CreationTimestamp);
            return Nullable.Compare(a, b) is var c && c != 0 ? c : string.CompareOrdinal(x.Key, y.Key);
        }
    }
}
