namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: autoscaling/v1</c>, <c>kind: Scale</c>: the <c>scale</c> subresource of ReplicaSets and Deployments.</summary>
public sealed record Scale : Resource
{
    public ScaleSpec Spec { get; init; } = new();
    public ScaleStatus? Status { get; init; }
}
