namespace Platform.Scheduler.Plugins.NodeName;

/// <summary>A pod that names its node (<c>spec.nodeName</c>) fits only there.</summary>
internal sealed class NodeName : IFilterPlugin
{
    public const string PluginName = "NodeName";
    public const string ReasonMismatch = "node(s) didn't match the requested node name";

    private static readonly Status Mismatch = Status.Unresolvable(ReasonMismatch).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node) =>
        string.IsNullOrEmpty(pod.Pod.Spec.NodeName) || pod.Pod.Spec.NodeName == node.Name ? Status.Success : Mismatch;
}
