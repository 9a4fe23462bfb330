namespace Platform.Contracts.Resources;

public sealed record Affinity
{
    public NodeAffinity? NodeAffinity { get; init; }
    /// <summary>Co-locate with pods matching the terms (same value of <c>topologyKey</c>).</summary>
    public PodAffinity? PodAffinity { get; init; }
    /// <summary>Keep away from pods matching the terms (a different value of <c>topologyKey</c>).</summary>
    public PodAntiAffinity? PodAntiAffinity { get; init; }
}
