namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: ResourceQuota</c>: caps what a namespace's objects use (pods, cpu, memory, object counts).</summary>
public sealed record ResourceQuota : Resource
{
    public ResourceQuotaSpec Spec { get; init; } = new();
    public ResourceQuotaStatus? Status { get; init; }
}
