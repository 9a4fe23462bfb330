namespace Platform.Contracts.Resources;

/// <summary>A custom metric by name, and optionally the selector of its series (<c>metricLabelSelector</c> when read).</summary>
public sealed record MetricIdentifier
{
    public string? Name { get; init; }
    public LabelSelector? Selector { get; init; }
}
