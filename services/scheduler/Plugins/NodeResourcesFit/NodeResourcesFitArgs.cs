namespace Platform.Scheduler.Plugins.NodeResourcesFit;

/// <summary><c>Scheduler:NodeResourcesFit</c>: the scoring strategy, the resources it weighs and the curve of RequestedToCapacityRatio.</summary>
public sealed class NodeResourcesFitArgs
{
    public ScoringStrategyType Strategy { get; set; } = ScoringStrategyType.LeastAllocated;
    public List<ResourceWeight> Resources { get; set; } = [];
    public List<UtilizationShapePoint> Shape { get; set; } = [];

    /// <summary>cpu and memory with weight 1 when none are configured; the bin-packing curve when no shape is.</summary>
    public NodeResourcesFitArgs WithDefaults() => new()
    {
        Strategy = Strategy,
        Resources = Resources.Count > 0 ? Resources : [new() { Name = "cpu", Weight = 1 }, new() { Name = "memory", Weight = 1 }],
        Shape = Shape.Count > 0 ? Shape.OrderBy(p => p.Utilization).ToList() : [new() { Utilization = 0, Score = 0 }, new() { Utilization = 100, Score = 10 }],
    };
}
