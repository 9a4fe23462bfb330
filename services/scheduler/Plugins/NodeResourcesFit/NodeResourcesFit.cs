namespace Platform.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// Filter: the pod's requests fit the node's allocatable minus what assigned and assumed pods request (cpu, memory,
/// pod count, extended resources). Score: <see cref="ScoringStrategyType"/> over the weighted resources.
/// </summary>
internal sealed class NodeResourcesFit(NodeResourcesFitArgs args) : IFilterPlugin, IScorePlugin
{
    public const string PluginName = "NodeResourcesFit";
    public const string ReasonTooManyPods = "Too many pods";

    private const string CpuReason = "Insufficient cpu";
    private const string MemoryReason = "Insufficient memory";
    private static readonly Status InsufficientCpu = Status.Unschedulable(CpuReason).WithPlugin(PluginName);
    private static readonly Status InsufficientMemory = Status.Unschedulable(MemoryReason).WithPlugin(PluginName);
    private readonly NodeResourcesFitArgs _args = args.WithDefaults();

    public string Name => PluginName;

    public static string Insufficient(string resource) => "Insufficient " + resource;

    public Status Filter(CycleState state, PodInfo pod, NodeInfo node)
    {
        List<string>? reasons = null;
        if (node.PodCount + 1 > node.AllocatablePods) (reasons ??= []).Add(ReasonTooManyPods);
        var r = pod.Requests;
        if (r.MilliCpu > 0 && r.MilliCpu > node.AllocatableMilliCpu - node.RequestedMilliCpu) (reasons ??= []).Add(CpuReason);
        if (r.Memory > 0 && r.Memory > node.AllocatableMemory - node.RequestedMemory) (reasons ??= []).Add(MemoryReason);
        foreach (var (name, v) in r.Scalars)
        {
            if (v <= 0) continue;
            var alloc = node.AllocatableScalars.GetValueOrDefault(name);
            if (v > alloc - node.RequestedScalars.GetValueOrDefault(name)) (reasons ??= []).Add(Insufficient(name));
        }
        if (reasons is null) return Status.Success;
        return reasons.Count == 1 && reasons[0] == CpuReason ? InsufficientCpu
            : reasons.Count == 1 && reasons[0] == MemoryReason ? InsufficientMemory
            : new Status(StatusCode.Unschedulable, reasons, PluginName);
    }

    public long Score(CycleState state, PodInfo pod, NodeInfo node)
    {
        long total = 0, weights = 0;
        foreach (var rw in _args.Resources)
        {
            var (requested, allocatable) = Usage(rw.Name, pod, node);
            if (allocatable == 0) continue;
            total += ScoreOf(requested, allocatable) * rw.Weight;
            weights += rw.Weight;
        }
        return weights == 0 ? 0 : total / weights;
    }

    private long ScoreOf(long requested, long allocatable) => _args.Strategy switch
    {
        ScoringStrategyType.MostAllocated => Math.Min(requested, allocatable) * IScorePlugin.MaxNodeScore / allocatable,
        ScoringStrategyType.RequestedToCapacityRatio => Shape(Math.Min(requested, allocatable) * 100 / allocatable),
        _ => requested > allocatable ? 0 : (allocatable - requested) * IScorePlugin.MaxNodeScore / allocatable,
    };

    /// <summary>Linear interpolation between the shape points; scores 0..10 scale to 0..100.</summary>
    private long Shape(long utilization)
    {
        var points = _args.Shape;
        if (utilization <= points[0].Utilization) return points[0].Score * 10L;
        for (var i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            if (utilization <= b.Utilization)
                return (a.Score * 10L) + ((b.Score - a.Score) * 10L * (utilization - a.Utilization) / Math.Max(1, b.Utilization - a.Utilization));
        }
        return points[^1].Score * 10L;
    }

    /// <summary>What the node would request with the pod on it (non-zero defaults for cpu and memory) and its allocatable.</summary>
    internal static (long Requested, long Allocatable) Usage(string resource, PodInfo pod, NodeInfo node) => resource switch
    {
        "cpu" => (node.NonZeroRequestedMilliCpu + pod.Requests.NonZeroMilliCpu, node.AllocatableMilliCpu),
        "memory" => (node.NonZeroRequestedMemory + pod.Requests.NonZeroMemory, node.AllocatableMemory),
        _ => (node.RequestedScalars.GetValueOrDefault(resource) + pod.Requests.Scalars.GetValueOrDefault(resource), node.AllocatableScalars.GetValueOrDefault(resource)),
    };
}
