namespace Platform.Contracts.Resources;

/// <summary>A metric of one object in the autoscaler's namespace (a gateway Route's request rate), against a <c>value</c> or an <c>averageValue</c> per pod.</summary>
public sealed record ObjectMetricSource
{
    public CrossVersionObjectReference? DescribedObject { get; init; }
    public MetricIdentifier? Metric { get; init; }
    public MetricTarget? Target { get; init; }
}
