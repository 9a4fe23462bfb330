namespace Platform.Scheduler.Plugins.NodePorts;

/// <summary>
/// Host ports are a scheduled resource: a pod's <c>hostPort</c>s must be free on the node (including ports the node
/// agent allocated to running pods), and the ports the agent will allocate must fit the node's remaining port range.
/// </summary>
internal sealed class NodePorts : IPreFilterPlugin, IFilterPlugin
{
    public const string PluginName = "NodePorts";
    public const string ReasonPortsTaken = "node(s) didn't have free ports for the requested pod ports";

    private static readonly Status TakenStatus = Status.Unschedulable(ReasonPortsTaken).WithPlugin(PluginName);

    public string Name => PluginName;

    public Status PreFilter(CycleState state, PodInfo pod, IClusterView cluster) =>
        pod.HostPorts.Count == 0 && pod.AllocatedPortsWanted == 0 ? Status.Skip : Status.Success;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        foreach (var p in pod.HostPorts)
            if (node.PortInUse(p)) return TakenStatus;
        if (node.PortRangeSize > 0 && node.AllocatedPortsUsed + pod.AllocatedPortsWanted > node.PortRangeSize)
            return TakenStatus;
        return Status.Success;
    }
}
