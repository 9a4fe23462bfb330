namespace Platform.Contracts.Resources;

/// <summary>What a failed pod means for its Job; the first matching rule decides, no match: the failure counts.</summary>
public sealed record PodFailurePolicy
{
    public List<PodFailurePolicyRule> Rules { get; init; } = [];
}
