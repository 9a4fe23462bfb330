using System.Text.Json.Serialization;

namespace Platform.Connect.Runtime;

/// <summary>The validate endpoint's answer, field for field as Kafka Connect's ConfigInfos.</summary>
internal sealed record ConfigInfos(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("error_count")] int ErrorCount,
    [property: JsonPropertyName("groups")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("configs")] IReadOnlyList<ConfigInfo> Configs)
{
    /// <summary>Every error as <c>name: message</c> lines, for the 400 answer to a create or update.</summary>
    public IEnumerable<string> Errors => Configs.SelectMany(c => c.Value.Errors);
}

internal sealed record ConfigInfo(
    [property: JsonPropertyName("definition")] ConfigKeyInfo Definition,
    [property: JsonPropertyName("value")] ConfigValueInfo Value);

internal sealed record ConfigKeyInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("default_value")] string? DefaultValue,
    [property: JsonPropertyName("importance")] string Importance,
    [property: JsonPropertyName("documentation")] string Documentation,
    [property: JsonPropertyName("group")] string? Group,
    [property: JsonPropertyName("order_in_group")] int OrderInGroup,
    [property: JsonPropertyName("width")] string Width,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("dependents")] IReadOnlyList<string> Dependents);

internal sealed record ConfigValueInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("recommended_values")] IReadOnlyList<string> RecommendedValues,
    [property: JsonPropertyName("errors")] IReadOnlyList<string> Errors,
    [property: JsonPropertyName("visible")] bool Visible);
