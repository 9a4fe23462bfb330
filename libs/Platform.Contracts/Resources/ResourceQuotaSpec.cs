namespace Platform.Contracts.Resources;

/// <summary>
/// <c>hard</c>: the most a namespace may use, by the names of <see cref="Quota.QuotaResourceNames"/> (<c>pods</c>,
/// <c>requests.cpu</c>, <c>limits.memory</c>, <c>services</c>, <c>configmaps</c>, <c>count/deployments.apps</c> ...).
/// </summary>
public sealed record ResourceQuotaSpec
{
    public ResourceList? Hard { get; init; }
}
