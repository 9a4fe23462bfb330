namespace Platform.Gateway.Configuration;

/// <summary>A gateway route as configured, before compilation (Spring's <c>RouteDefinition</c>).</summary>
public sealed record RouteDefinition
{
    public required string Id { get; init; }
    public required string Uri { get; init; }
    public int Order { get; init; }
    public IReadOnlyList<ComponentDefinition> Predicates { get; init; } = [];
    public IReadOnlyList<ComponentDefinition> Filters { get; init; } = [];
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    /// <summary>Where the route came from (<see cref="RouteSources"/>: <c>yaml</c>, <c>resource</c>, <c>admin</c>, <c>discovery</c>).</summary>
    public string Source { get; init; } = RouteSources.Yaml;

    /// <summary>
    /// The namespace of a Route resource; null for the gateway's own routes (routes file, admin API, discovery
    /// locator). It scopes the route's <c>lb://</c> names, the API keys it accepts and the hosts and paths it may claim.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>When the Route resource was created: of two namespaces' overlapping routes, the first created is served.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// The Service port an Ingress backend names: its <c>port.number</c> (digits) or <c>port.name</c>; null picks the
    /// Service's only port (the first of several).
    /// </summary>
    public string? BackendPort { get; init; }

    /// <summary>A Route resource's <c>gateway.platform.io/allow-routes-from</c>: namespaces whose Routes may overlap its hosts and paths.</summary>
    public string? AllowRoutesFrom { get; init; }
}
