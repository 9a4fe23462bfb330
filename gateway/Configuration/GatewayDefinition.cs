namespace Platform.Gateway.Configuration;

/// <summary>What a Spring Cloud Gateway <c>application.yml</c> declares under <c>spring.cloud.gateway</c>.</summary>
public sealed record GatewayDefinition
{
    public IReadOnlyList<RouteDefinition> Routes { get; init; } = [];
    public IReadOnlyList<ComponentDefinition> DefaultFilters { get; init; } = [];
    /// <summary><c>discovery.locator.enabled</c>: a route <c>/{service-id}/**</c> per registered application.</summary>
    public bool DiscoveryLocatorEnabled { get; init; }
    /// <summary><c>discovery.locator.lower-case-service-id</c>.</summary>
    public bool DiscoveryLocatorLowerCase { get; init; }
    /// <summary><c>globalcors.cors-configurations</c> by path pattern.</summary>
    public IReadOnlyList<CorsDefinition> Cors { get; init; } = [];

    /// <summary><c>httpclient.connect-timeout</c> and <c>httpclient.response-timeout</c>.</summary>
    public HttpClientDefinition HttpClient { get; init; } = HttpClientDefinition.None;

    public static GatewayDefinition Empty { get; } = new();
}
