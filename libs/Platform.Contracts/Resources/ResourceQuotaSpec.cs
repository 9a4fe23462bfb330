namespace Platform.Contracts.Resources;

/// <summary><c>hard</c> keys: <c>pods</c>, <c>requests.cpu</c>, <c>requests.memory</c>, <c>limits.cpu</c>, <c>limits.memory</c>.</summary>
public sealed record ResourceQuotaSpec
{
    public ResourceList? Hard { get; init; }
}
