namespace Platform.Contracts.Resources;

public sealed record ResourceQuotaStatus
{
    public ResourceList? Hard { get; init; }
    public ResourceList? Used { get; init; }
}
