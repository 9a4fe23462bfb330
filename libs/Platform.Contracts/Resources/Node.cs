namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: Node</c> (cluster-scoped): a machine a node agent runs pods on.</summary>
public sealed record Node : Resource
{
    public NodeSpec Spec { get; init; } = new();
    public NodeStatus? Status { get; init; }
}
