namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: apps/v1</c>, <c>kind: Deployment</c>: ReplicaSets rolled out per <c>strategy</c>.</summary>
public sealed record Deployment : Resource
{
    /// <summary>The desired state.</summary>
    public DeploymentSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the controller.</summary>
    public DeploymentStatus? Status { get; init; }
}
