using System.Text.Json.Serialization;

namespace Platform.Gateway.Tenancy;

/// <summary>A Route resource that is not served because another namespace's Route, created before it, claims an overlapping host and path.</summary>
public sealed record RouteConflict(
    [property: JsonPropertyName("route_id")] string RouteId,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("claim")] string Claim,
    [property: JsonPropertyName("held_by")] string HeldBy,
    [property: JsonPropertyName("reason")] string Reason);
