using System.Text.Json;

namespace Platform.EventBus.CloudEvents;

/// <summary>
/// One CloudEvents 1.0 event as the platform carries it on Kafka: attributes travel as <c>ce_</c>
/// headers (binary content mode), <see cref="Data"/> is the JSON value, <see cref="Key"/> the Kafka key.
/// </summary>
public sealed record PlatformEvent
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Type { get; init; }
    public string? Subject { get; init; }
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;
    public string DataContentType { get; init; } = "application/json";
    /// <summary>Kafka message key (partitioning and per-key order), e.g. <c>namespace/name</c>.</summary>
    public string? Key { get; init; }
    /// <summary>The event payload, UTF-8 JSON.</summary>
    public required ReadOnlyMemory<byte> Data { get; init; }
    /// <summary>Extension attributes (lower-case names), sent as <c>ce_{name}</c> headers.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; } = EmptyExtensions;

    private static readonly IReadOnlyDictionary<string, string> EmptyExtensions = new Dictionary<string, string>();

    public static PlatformEvent Create<T>(string source, string type, string? key, T data, string? subject = null,
        JsonSerializerOptions? options = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Source = source,
        Type = type,
        Subject = subject,
        Key = key,
        Data = JsonSerializer.SerializeToUtf8Bytes(data, options ?? PlatformJson.Options),
    };

    public T? DataAs<T>(JsonSerializerOptions? options = null) =>
        JsonSerializer.Deserialize<T>(Data.Span, options ?? PlatformJson.Options);
}
