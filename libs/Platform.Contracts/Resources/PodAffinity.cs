namespace Platform.Contracts.Resources;

/// <summary><c>affinity.podAffinity</c>: required terms must all hold; preferred terms add their weight to a node's score.</summary>
public sealed record PodAffinity
{
    public List<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; init; }
    public List<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; init; }
}
