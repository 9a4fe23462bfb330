namespace Platform.Contracts.Resources;

/// <summary>A resource (<c>cpu</c>, <c>memory</c>) of the target's pods, averaged over them.</summary>
public sealed record ResourceMetricSource
{
    public string? Name { get; init; }
    public MetricTarget? Target { get; init; }
}
