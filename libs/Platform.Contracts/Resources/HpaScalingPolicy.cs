namespace Platform.Contracts.Resources;

/// <summary>At most <see cref="Value"/> pods (<c>Pods</c>) or percent (<c>Percent</c>) of change per <see cref="PeriodSeconds"/>.</summary>
public sealed record HpaScalingPolicy
{
    public string? Type { get; init; }
    public int Value { get; init; }
    public int PeriodSeconds { get; init; }
}
