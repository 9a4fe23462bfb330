namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: apps/v1</c>, <c>kind: Deployment</c>: ReplicaSets rolled out per <c>strategy</c>.</summary>
public sealed record Deployment : Resource
{
    public DeploymentSpec Spec { get; init; } = new();
    public DeploymentStatus? Status { get; init; }
}
