namespace Platform.Scheduler.Framework;

/// <summary>
/// What a PostFilter may do to a node while it looks for room for the pod: take pods off or put them back (the node's
/// aggregates and every plugin's PreFilter state follow, through <see cref="IPreFilterExtensions"/>), and run the
/// pod's filters there (nominated pods counted as in any cycle). Whoever takes a pod off puts it back.
/// </summary>
internal sealed class NodeSimulation(Profile profile, CycleState state, PodInfo pod, Func<NodeInfo, Status> filter)
{
    public Status Filter(NodeInfo node) => filter(node);

    public void RemovePod(NodeInfo node, PodInfo other)
    {
        node.RemovePod(other.Key);
        foreach (var p in Extensions()) p.RemovePod(state, pod, other, node);
    }

    public void AddPod(NodeInfo node, PodInfo other)
    {
        node.AddPod(other);
        foreach (var p in Extensions()) p.AddPod(state, pod, other, node);
    }

    /// <summary>The PreFilter plugins with extensions whose Filter runs this cycle (a skipped one has no state to keep).</summary>
    private IEnumerable<IPreFilterExtensions> Extensions()
    {
        foreach (var p in profile.PreFilter)
            if (p is IPreFilterExtensions e && !state.FilterSkipped(p.Name)) yield return e;
    }
}
