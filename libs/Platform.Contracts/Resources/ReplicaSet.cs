namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: apps/v1</c>, <c>kind: ReplicaSet</c>: keeps <c>replicas</c> pods matching the selector running.</summary>
public sealed record ReplicaSet : Resource
{
    /// <summary>The desired state.</summary>
    public ReplicaSetSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the controller.</summary>
    public ReplicaSetStatus? Status { get; init; }
}
