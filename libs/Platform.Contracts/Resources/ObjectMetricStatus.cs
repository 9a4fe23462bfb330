namespace Platform.Contracts.Resources;

/// <summary>The last reading of an <c>Object</c> metric.</summary>
public sealed record ObjectMetricStatus
{
    public CrossVersionObjectReference? DescribedObject { get; init; }
    public MetricIdentifier? Metric { get; init; }
    public MetricValueStatus? Current { get; init; }
}
