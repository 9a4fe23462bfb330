namespace Platform.Contracts.Resources;

/// <summary>
/// Pods matching <see cref="LabelSelector"/> in <see cref="Namespaces"/> (default: the pod's own namespace), counted per value
/// of the node label <see cref="TopologyKey"/> (e.g. <c>kubernetes.io/hostname</c>, <c>topology.kubernetes.io/zone</c>).
/// </summary>
public sealed record PodAffinityTerm
{
    public LabelSelector? LabelSelector { get; init; }
    public List<string>? Namespaces { get; init; }
    public string? TopologyKey { get; init; }
}
