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
    /// <summary>Where the route came from (<c>yaml</c>, <c>resource</c>, <c>admin</c>, <c>discovery</c>).</summary>
    public string Source { get; init; } = "yaml";
}
