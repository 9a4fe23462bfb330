namespace Platform.Contracts.Resources;

/// <summary><c>affinity.podAntiAffinity</c>: the shape of <see cref="PodAffinity"/>, with the opposite meaning.</summary>
public sealed record PodAntiAffinity
{
    public List<PodAffinityTerm>? RequiredDuringSchedulingIgnoredDuringExecution { get; init; }
    public List<WeightedPodAffinityTerm>? PreferredDuringSchedulingIgnoredDuringExecution { get; init; }
}
