namespace Platform.Contracts.Resources;

public sealed record LimitRangeSpec
{
    /// <summary>One item per type (<c>Container</c>, <c>Pod</c>); each type at most once.</summary>
    public List<LimitRangeItem>? Limits { get; init; }
}
