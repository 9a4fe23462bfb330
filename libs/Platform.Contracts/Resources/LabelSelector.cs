namespace Platform.Contracts.Resources;

/// <summary>The structured selector of ReplicaSets and Deployments: <c>matchLabels</c> ANDed with <c>matchExpressions</c>.</summary>
public sealed record LabelSelector
{
    /// <summary>Labels that must all be present with these values.</summary>
    public Dictionary<string, string>? MatchLabels { get; init; }
    /// <summary>Requirements (In, NotIn, Exists, DoesNotExist) that must all hold.</summary>
    public List<LabelSelectorRequirement>? MatchExpressions { get; init; }
}
