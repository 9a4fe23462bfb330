using System.Text.Json;

namespace Platform.Contracts.Routing;

/// <summary>
/// <c>spec</c> of a Route resource (<c>apiVersion: gateway.platform.io/v1</c>, <c>kind: Route</c>), the gateway
/// route a team applies with <c>platformctl</c>. Predicates and filters take either Spring Cloud Gateway's
/// shortcut string (<c>Path=/first-service/**</c>) or the <c>{name, args}</c> object form.
/// The gateway's route id is always <c>namespace/name</c>.
/// </summary>
public sealed record RouteSpec
{
    /// <summary>Lowest <see cref="Order"/> of a Route resource: the gateway's own routes of order 0 or less come first.</summary>
    public const int MinOrder = 0;

    /// <summary>Highest <see cref="Order"/> of a Route resource: the gateway's own routes of a higher order come after every Route.</summary>
    public const int MaxOrder = 10_000;

    /// <summary>
    /// Kept so manifests written for earlier versions still apply; not the route's identity, which is the
    /// resource's <c>namespace/name</c> (an id shared across namespaces neither replaces nor removes another route).
    /// </summary>
    public string? Id { get; init; }
    /// <summary>
    /// <c>http://host:port</c>, <c>https://host:port</c>, or <c>lb://NAME</c> (the Service <c>NAME</c> of the Route's
    /// namespace) or <c>lb://NAME.NAMESPACE</c> (another namespace's Service, when it allows Routes of this namespace).
    /// </summary>
    public required string Uri { get; init; }
    /// <summary>
    /// Routes are tried by ascending order, first match wins; between <see cref="MinOrder"/> and <see cref="MaxOrder"/>
    /// for a Route resource.
    /// </summary>
    public int Order { get; init; }
    /// <summary>Each a string (<c>Path=/a/**</c>) or an object <c>{"name": "Path", "args": {"patterns": "/a/**"}}</c>.</summary>
    public IReadOnlyList<JsonElement> Predicates { get; init; } = [];
    public IReadOnlyList<JsonElement> Filters { get; init; } = [];
    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }
}
