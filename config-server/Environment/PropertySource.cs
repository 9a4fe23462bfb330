using System.Text.Json.Serialization;

namespace Platform.ConfigServer.Environment;

/// <summary>
/// One named set of flat properties (<c>a.b[0].c</c> keys) in file order. Values are strings, numbers,
/// booleans or null, typed as the source file typed them (YAML/JSON scalars keep their type).
/// </summary>
internal sealed record PropertySource(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("source")] OrderedDictionary<string, object?> Source);
