namespace Platform.Contracts.Resources;

public sealed record RollingUpdateStatefulSetStrategy
{
    /// <summary>Only pods with an ordinal >= partition are updated (default 0: all).</summary>
    public int? Partition { get; init; }
    /// <summary>How many pods may be unavailable during the update (default 1); a number or a percentage, not 0.</summary>
    public IntOrString? MaxUnavailable { get; init; }
}
