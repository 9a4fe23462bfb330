namespace Platform.Contracts.Resources;

/// <summary>The last reading of a <c>Pods</c> metric: the average over the pods.</summary>
public sealed record PodsMetricStatus
{
    public MetricIdentifier? Metric { get; init; }
    public MetricValueStatus? Current { get; init; }
}
