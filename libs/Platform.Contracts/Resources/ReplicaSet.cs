namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: apps/v1</c>, <c>kind: ReplicaSet</c>: keeps <c>replicas</c> pods matching the selector running.</summary>
public sealed record ReplicaSet : Resource
{
    public ReplicaSetSpec Spec { get; init; } = new();
    public ReplicaSetStatus? Status { get; init; }
}
