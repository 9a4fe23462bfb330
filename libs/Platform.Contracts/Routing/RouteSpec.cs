using System.Text.Json;

namespace Platform.Contracts.Routing;

/// <summary>
/// <c>spec</c> of a Route resource (<c>apiVersion: gateway.platform.io/v1</c>, <c>kind: Route</c>), the gateway
/// route a team applies with <c>platformctl</c>. Predicates and filters take either Spring Cloud Gateway's
/// shortcut string (<c>Path=/first-service/**</c>) or the <c>{name, args}</c> object form.
/// The route id is <c>namespace/name</c> unless <see cref="Id"/> is set.
/// </summary>
public sealed record RouteSpec
{
    public string? Id { get; init; }
    /// <summary><c>http://host:port</c> or <c>lb://service-name</c>.</summary>
    public required string Uri { get; init; }
    public int Order { get; init; }
    /// <summary>Each a string (<c>Path=/a/**</c>) or an object <c>{"name": "Path", "args": {"patterns": "/a/**"}}</c>.</summary>
    public IReadOnlyList<JsonElement> Predicates { get; init; } = [];
    public IReadOnlyList<JsonElement> Filters { get; init; } = [];
    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }
}
