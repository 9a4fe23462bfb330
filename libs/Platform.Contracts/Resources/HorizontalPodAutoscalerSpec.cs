namespace Platform.Contracts.Resources;

public sealed record HorizontalPodAutoscalerSpec
{
    /// <summary>The resource scaled through its <c>/scale</c> subresource (Deployment, ReplicaSet, StatefulSet).</summary>
    public CrossVersionObjectReference? ScaleTargetRef { get; init; }
    /// <summary>Lower bound (default 1).</summary>
    public int? MinReplicas { get; init; }
    public int MaxReplicas { get; init; }
    /// <summary>What the replica count is computed from (default: 80% average CPU utilization).</summary>
    public List<MetricSpec>? Metrics { get; init; }
    /// <summary>How fast it may scale each way (Kubernetes' defaults when absent).</summary>
    public HorizontalPodAutoscalerBehavior? Behavior { get; init; }
}
