using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>Common shape of every stored object: <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
public abstract record Resource
{
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; init; }
    [JsonPropertyOrder(-2)]
    public string? Kind { get; init; }
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();
}
