namespace Platform.Contracts.Resources;

public sealed record HorizontalPodAutoscalerStatus
{
    public long? ObservedGeneration { get; init; }
    public DateTimeOffset? LastScaleTime { get; init; }
    public int CurrentReplicas { get; init; }
    public int DesiredReplicas { get; init; }
    public List<MetricStatus>? CurrentMetrics { get; init; }
    /// <summary><c>AbleToScale</c>, <c>ScalingActive</c>, <c>ScalingLimited</c>.</summary>
    public List<Condition>? Conditions { get; init; }
}
