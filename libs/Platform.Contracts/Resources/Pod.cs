namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: Pod</c>: one or more containers scheduled together onto a node.</summary>
public sealed record Pod : Resource
{
    public PodSpec Spec { get; init; } = new();
    public PodStatus? Status { get; init; }
}
