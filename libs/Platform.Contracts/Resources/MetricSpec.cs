using System.Text.Json.Nodes;

namespace Platform.Contracts.Resources;

/// <summary>
/// One metric an autoscaler follows. <c>Resource</c> (CPU or memory of the pods, from <c>metrics.k8s.io</c>), <c>Pods</c>
/// and <c>Object</c> (from <c>custom.metrics.k8s.io</c>) are computed; <c>ContainerResource</c> and <c>External</c> are kept
/// as written (validated for presence): no external metrics API is served.
/// </summary>
public sealed record MetricSpec
{
    /// <summary><c>Resource</c>, <c>ContainerResource</c>, <c>Pods</c>, <c>Object</c> or <c>External</c>.</summary>
    public string? Type { get; init; }
    public ResourceMetricSource? Resource { get; init; }
    public JsonObject? ContainerResource { get; init; }
    public PodsMetricSource? Pods { get; init; }
    public ObjectMetricSource? Object { get; init; }
    public JsonObject? External { get; init; }
}
