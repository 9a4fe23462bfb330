namespace Platform.Contracts.Resources;

/// <summary>The structured selector of ReplicaSets and Deployments: <c>matchLabels</c> ANDed with <c>matchExpressions</c>.</summary>
public sealed record LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; init; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; init; }
}
