using Platform.Scheduler.Plugins.NodeResourcesFit;

namespace Platform.Scheduler.Plugins.BalancedAllocation;

/// <summary>
/// Prefers nodes whose cpu and memory utilization (with the pod) are close to each other, so neither resource is
/// stranded: score = (1 − standard deviation of the fractions) × 100.
/// </summary>
internal sealed class BalancedAllocation : IScorePlugin
{
    public const string PluginName = "NodeResourcesBalancedAllocation";

    public string Name => PluginName;

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        var (cpuReq, cpuAlloc) = NodeResourcesFit.NodeResourcesFit.Usage("cpu", pod, node);
        var (memReq, memAlloc) = NodeResourcesFit.NodeResourcesFit.Usage("memory", pod, node);
        if (cpuAlloc == 0 || memAlloc == 0) return 0;
        var cpu = Math.Min(1.0, (double)cpuReq / cpuAlloc);
        var mem = Math.Min(1.0, (double)memReq / memAlloc);
        // The standard deviation of two values is half their distance.
        var std = Math.Abs(cpu - mem) / 2;
        return (long)((1 - std) * IScorePlugin.MaxNodeScore);
    }
}
