namespace Platform.Contracts.Resources;

/// <summary>A metric each pod of the target reports (from the custom metrics API), averaged over the pods against an <c>averageValue</c>.</summary>
public sealed record PodsMetricSource
{
    public MetricIdentifier? Metric { get; init; }
    public MetricTarget? Target { get; init; }
}
