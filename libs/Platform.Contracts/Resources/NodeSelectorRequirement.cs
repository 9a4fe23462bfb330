namespace Platform.Contracts.Resources;

/// <summary><see cref="Operator"/>: <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>, <c>Gt</c>, <c>Lt</c>.</summary>
public sealed record NodeSelectorRequirement
{
    public string? Key { get; init; }
    public string? Operator { get; init; }
    public List<string>? Values { get; init; }
}
