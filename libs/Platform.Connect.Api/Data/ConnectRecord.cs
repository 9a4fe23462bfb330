namespace Platform.Connect.Api.Data;

/// <summary>
/// What a source task produces and a sink task receives: topic, key and value with their schemas (null schema:
/// schemaless), timestamp and headers. Transformations return changed copies made with <c>with</c>.
/// </summary>
public abstract record ConnectRecord(
    string Topic,
    int? KafkaPartition,
    ConnectSchema? KeySchema,
    object? Key,
    ConnectSchema? ValueSchema,
    object? Value,
    DateTimeOffset? Timestamp)
{
    public IReadOnlyDictionary<string, byte[]?> Headers { get; init; } = new Dictionary<string, byte[]?>();
}

/// <summary>
/// A record read from an external system. <see cref="SourcePartition"/> and <see cref="SourceOffset"/> are how the task
/// resumes: the worker stores the offset under the partition (Kafka Connect's <c>["connector",{partition}]</c> key).
/// </summary>
public sealed record SourceRecord(
    IReadOnlyDictionary<string, object?> SourcePartition,
    IReadOnlyDictionary<string, object?> SourceOffset,
    string Topic,
    int? KafkaPartition,
    ConnectSchema? KeySchema,
    object? Key,
    ConnectSchema? ValueSchema,
    object? Value,
    DateTimeOffset? Timestamp = null)
    : ConnectRecord(Topic, KafkaPartition, KeySchema, Key, ValueSchema, Value, Timestamp);

/// <summary>A record read from Kafka for a sink task, with its Kafka position.</summary>
public sealed record SinkRecord(
    string Topic,
    int? KafkaPartition,
    ConnectSchema? KeySchema,
    object? Key,
    ConnectSchema? ValueSchema,
    object? Value,
    long KafkaOffset,
    DateTimeOffset? Timestamp = null)
    : ConnectRecord(Topic, KafkaPartition, KeySchema, Key, ValueSchema, Value, Timestamp);
