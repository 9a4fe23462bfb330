namespace Platform.Contracts.Resources;

/// <summary>The last reading of one metric.</summary>
public sealed record MetricStatus
{
    public string? Type { get; init; }
    public ResourceMetricStatus? Resource { get; init; }
    public PodsMetricStatus? Pods { get; init; }
    public ObjectMetricStatus? Object { get; init; }
}
