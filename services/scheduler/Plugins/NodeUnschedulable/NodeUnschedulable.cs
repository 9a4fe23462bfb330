using Platform.Contracts.Resources;
using Platform.Scheduler.Plugins.TaintToleration;

namespace Platform.Scheduler.Plugins.NodeUnschedulable;

/// <summary>A cordoned node (<c>spec.unschedulable</c>) takes only pods tolerating <c>node.kubernetes.io/unschedulable:NoSchedule</c>.</summary>
internal sealed class NodeUnschedulable : IFilterPlugin
{
    public const string PluginName = "NodeUnschedulable";
    public const string ReasonUnschedulable = "node(s) were unschedulable";
    private static readonly Taint UnschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

    private static readonly Status Rejected = Status.Unresolvable(ReasonUnschedulable).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        !node.Unschedulable || Tolerations.AnyTolerates(pod.Pod.Spec.Tolerations, UnschedulableTaint)
            ? Status.Success
            : Rejected;
}
