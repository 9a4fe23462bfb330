using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>
/// JSON settings of resource manifests: camelCase as in Kubernetes, nulls omitted, case-sensitive names, times as
/// Kubernetes' RFC 3339 UTC <c>Time</c> (<see cref="TimeJsonConverter"/>; MicroTime fields say so on the property).
/// </summary>
public static class ResourceJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 64,
        Converters = { new TimeJsonConverter() },
    };
}
