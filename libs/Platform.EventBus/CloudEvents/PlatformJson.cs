using System.Text.Json;
using System.Text.Json.Serialization;

namespace Platform.EventBus.CloudEvents;

/// <summary>JSON settings shared by every event payload: camelCase, nulls omitted.</summary>
public static class PlatformJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
