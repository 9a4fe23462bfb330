using Platform.Scheduler.Plugins.BalancedAllocation;
using Platform.Scheduler.Plugins.DefaultBinder;
using Platform.Scheduler.Plugins.DefaultPreemption;
using Platform.Scheduler.Plugins.InterPodAffinity;
using Platform.Scheduler.Plugins.NodeAffinity;
using Platform.Scheduler.Plugins.NodeName;
using Platform.Scheduler.Plugins.NodePorts;
using Platform.Scheduler.Plugins.NodeResourcesFit;
using Platform.Scheduler.Plugins.NodeUnschedulable;
using Platform.Scheduler.Plugins.PodTopologySpread;
using Platform.Scheduler.Plugins.TaintToleration;
using Platform.Scheduler.Plugins.VolumeBinding;

namespace Platform.Scheduler;

/// <summary>
/// Every plugin under <c>Plugins/</c>, one line each: kube-scheduler's order (the order they run at each extension
/// point) and its default score weights. Adding a plugin is its folder and a line here.
/// </summary>
internal static class InTreePlugins
{
    public static PluginRegistry Registry { get; } = new PluginRegistry()
        .Add<NodeUnschedulable>(NodeUnschedulable.PluginName)
        .Add<NodeName>(NodeName.PluginName)
        .Add<TaintToleration>(TaintToleration.PluginName, defaultWeight: 3)
        .Add<NodeAffinity>(NodeAffinity.PluginName, defaultWeight: 2)
        .Add<NodePorts>(NodePorts.PluginName)
        .Add<VolumeBinding>(VolumeBinding.PluginName)
        .Add(NodeResourcesFit.PluginName, create: sp => new NodeResourcesFit(sp.GetRequiredService<SchedulerOptions>().NodeResourcesFit))
        .Add<PodTopologySpread>(PodTopologySpread.PluginName, defaultWeight: 2)
        .Add<InterPodAffinity>(InterPodAffinity.PluginName, defaultWeight: 2)
        .Add<BalancedAllocation>(BalancedAllocation.PluginName)
        .Add<DefaultPreemption>(DefaultPreemption.PluginName)
        .Add<DefaultBinder>(DefaultBinder.PluginName);
}
