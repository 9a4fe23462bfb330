namespace Platform.Contracts.Resources;

/// <summary>Requirements ANDed together, on node labels (<see cref="MatchExpressions"/>) or fields (<see cref="MatchFields"/>).</summary>
public sealed record NodeSelectorTerm
{
    public List<NodeSelectorRequirement>? MatchExpressions { get; init; }
    public List<NodeSelectorRequirement>? MatchFields { get; init; }
}
