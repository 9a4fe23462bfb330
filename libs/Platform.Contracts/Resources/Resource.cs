using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>Common shape of every stored object: <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
public abstract record Resource
{
    /// <summary>The versioned schema of this object: <c>v1</c> for the core group, <c>&lt;group&gt;/&lt;version&gt;</c> otherwise (<c>apps/v1</c>).</summary>
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; init; }
    /// <summary>The kind of this object, in CamelCase (<c>Pod</c>, <c>Deployment</c>).</summary>
    [JsonPropertyOrder(-2)]
    public string? Kind { get; init; }
    /// <summary>Name, namespace, labels, annotations and the metadata the server owns.</summary>
    [JsonPropertyOrder(-1)]
    public ObjectMeta Metadata { get; init; } = new();
}
