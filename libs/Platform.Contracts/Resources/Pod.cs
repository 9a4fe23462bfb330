namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: Pod</c>: one or more containers scheduled together onto a node.</summary>
public sealed record Pod : Resource
{
    /// <summary>The desired state.</summary>
    public PodSpec Spec { get; init; } = new();
    /// <summary>The observed state, written by the node agent.</summary>
    public PodStatus? Status { get; init; }
}
