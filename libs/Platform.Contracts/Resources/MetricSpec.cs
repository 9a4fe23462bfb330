using System.Text.Json.Nodes;

namespace Platform.Contracts.Resources;

/// <summary>
/// One metric an autoscaler follows. <c>Resource</c> (CPU or memory of the pods) is computed; <c>ContainerResource</c>,
/// <c>Pods</c>, <c>Object</c> and <c>External</c> are kept as written (validated for presence) until a custom metrics API exists.
/// </summary>
public sealed record MetricSpec
{
    /// <summary><c>Resource</c>, <c>ContainerResource</c>, <c>Pods</c>, <c>Object</c> or <c>External</c>.</summary>
    public string? Type { get; init; }
    public ResourceMetricSource? Resource { get; init; }
    public JsonObject? ContainerResource { get; init; }
    public JsonObject? Pods { get; init; }
    public JsonObject? Object { get; init; }
    public JsonObject? External { get; init; }
}
