namespace Platform.Contracts.Resources;

/// <summary>What the quota enforces (<c>hard</c>, its spec's) and what the namespace uses of it (<c>used</c>), kept by the apiserver and the resourcequota controller.</summary>
public sealed record ResourceQuotaStatus
{
    public ResourceList? Hard { get; init; }
    public ResourceList? Used { get; init; }
}
