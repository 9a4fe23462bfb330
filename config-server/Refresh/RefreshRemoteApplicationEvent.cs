using System.Text.Json.Serialization;

namespace Platform.ConfigServer.Refresh;

/// <summary>
/// Spring Cloud Bus's <c>RefreshRemoteApplicationEvent</c> as Jackson writes it: the subtype name in
/// <c>type</c>, epoch milliseconds in <c>timestamp</c>, and <c>destinationService</c> a pattern such as
/// <c>**</c> (everyone) or <c>customers:**</c> (every instance of one application).
/// </summary>
internal sealed record RefreshRemoteApplicationEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("originService")] string OriginService,
    [property: JsonPropertyName("destinationService")] string DestinationService,
    [property: JsonPropertyName("id")] string Id)
{
    public const string TypeName = "RefreshRemoteApplicationEvent";
}
