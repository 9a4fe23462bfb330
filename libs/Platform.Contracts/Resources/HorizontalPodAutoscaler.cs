namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: autoscaling/v2</c>, <c>kind: HorizontalPodAutoscaler</c>: the replicas of a scalable resource follow its pods' metrics.</summary>
public sealed record HorizontalPodAutoscaler : Resource
{
    public HorizontalPodAutoscalerSpec Spec { get; init; } = new();
    /// <summary>Written by the horizontal pod autoscaler controller.</summary>
    public HorizontalPodAutoscalerStatus? Status { get; init; }
}
