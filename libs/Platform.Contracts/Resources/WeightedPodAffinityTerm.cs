namespace Platform.Contracts.Resources;

public sealed record WeightedPodAffinityTerm
{
    /// <summary>1 to 100.</summary>
    public int Weight { get; init; }
    public PodAffinityTerm PodAffinityTerm { get; init; } = new();
}
