using System.Text.Json.Serialization;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// Spring Cloud Config's <c>Environment</c> JSON: the property sources for one application, profile list
/// and label, highest precedence first. Null fields are written (Spring's clients expect the keys).
/// </summary>
internal sealed record SpringEnvironment(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("profiles")] IReadOnlyList<string> Profiles,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("propertySources")] IReadOnlyList<PropertySource> PropertySources);
