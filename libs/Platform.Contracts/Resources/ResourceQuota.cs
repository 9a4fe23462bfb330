namespace Platform.Contracts.Resources;

/// <summary><c>apiVersion: v1</c>, <c>kind: ResourceQuota</c>: caps a namespace's pod count and requests/limits.</summary>
public sealed record ResourceQuota : Resource
{
    public ResourceQuotaSpec Spec { get; init; } = new();
    public ResourceQuotaStatus? Status { get; init; }
}
