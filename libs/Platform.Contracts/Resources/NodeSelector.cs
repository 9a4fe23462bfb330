namespace Platform.Contracts.Resources;

/// <summary>Terms ORed together; a node matches when any term matches.</summary>
public sealed record NodeSelector
{
    public List<NodeSelectorTerm> NodeSelectorTerms { get; init; } = [];
}
