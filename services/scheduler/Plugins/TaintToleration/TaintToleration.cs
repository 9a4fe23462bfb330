namespace Platform.Scheduler.Plugins.TaintToleration;

/// <summary>
/// Filter: every NoSchedule and NoExecute taint of the node must be tolerated. Score: fewer untolerated
/// PreferNoSchedule taints is better (reverse-normalized so a node with none gets 100).
/// </summary>
internal sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public const string PluginName = "TaintToleration";

    public string Name => PluginName;

    public static string ReasonFor(Platform.Contracts.Resources.Taint t) => $"node(s) had untolerated taint {{{t.Key}: {t.Value}}}";

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var taint in node.Taints)
        {
            if (taint.Effect is not ("NoSchedule" or "NoExecute")) continue;
            if (!Tolerations.AnyTolerates(pod.Pod.Spec.Tolerations, taint)) return Status.Unresolvable(ReasonFor(taint));
        }
        return Status.Success;
    }

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long count = 0;
        foreach (var taint in node.Taints)
        {
            if (taint.Effect != "PreferNoSchedule") continue;
            if (!Tolerations.AnyTolerates(pod.Pod.Spec.Tolerations, taint)) count++;
        }
        return count;
    }

    public void NormalizeScore(CycleState state, PodInfo pod, Span<long> scores) => ScoreNormalizer.Default(scores, reverse: true);
}
