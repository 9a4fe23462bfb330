namespace Platform.Contracts.Resources;

public sealed record NodeSpec
{
    public bool? Unschedulable { get; init; }
    public List<Taint>? Taints { get; init; }

    /// <summary>The pod IP range of the node (the first of <see cref="PodCIDRs"/>), set once by the node IPAM controller.</summary>
    public string? PodCIDR { get; init; }

    /// <summary>The pod IP ranges of the node, at most one per IP family; immutable once set.</summary>
    public List<string>? PodCIDRs { get; init; }
}
