namespace Platform.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// <c>nodeSelector</c> and required node affinity as a filter; preferred node affinity as a score (the sum of the
/// weights of the matching terms, normalized so the best node gets 100).
/// </summary>
internal sealed class NodeAffinity : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "NodeAffinity";
    public const string ReasonMismatch = "node(s) didn't match Pod's node affinity/selector";

    private static readonly Status Mismatch = Status.Unresolvable(ReasonMismatch).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster) =>
        pod.RequiredNodeSelector.IsEmpty ? Status.Skip : Status.Success;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        pod.RequiredNodeSelector.Matches(node) ? Status.Success : Mismatch;

    public Status PreScore(CycleState state, PodInfo pod, IReadOnlyList<NodeInfo> feasible, IClusterView cluster) =>
        pod.Pod.Spec.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is { Count: > 0 } ? Status.Success : Status.Skip;

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long sum = 0;
        foreach (var t in pod.Pod.Spec.Affinity!.NodeAffinity!.PreferredDuringSchedulingIgnoredDuringExecution!)
            if (t.Weight > 0 && NodeSelectorMatcher.TermMatches(t.Preference, node)) sum += t.Weight;
        return sum;
    }

    public void NormalizeScore(CycleState state, PodInfo pod, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: false);
}
