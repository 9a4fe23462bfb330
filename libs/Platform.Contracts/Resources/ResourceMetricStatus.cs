namespace Platform.Contracts.Resources;

public sealed record ResourceMetricStatus
{
    public string? Name { get; init; }
    public MetricValueStatus? Current { get; init; }
}
