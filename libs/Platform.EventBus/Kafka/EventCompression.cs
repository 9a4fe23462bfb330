using Confluent.Kafka;

namespace Platform.EventBus.Kafka;

/// <summary>
/// <c>Kafka:Compression</c>: the codec producers compress record batches with. <see cref="None"/> (the default) and
/// <see cref="Gzip"/> are decoded by every mainstream client as installed (kafkajs, kafka-python, franz-go, sarama,
/// librdkafka, the Java client); snappy, lz4 and zstd need an extra codec package in kafkajs and kafka-python.
/// </summary>
public enum EventCompression
{
    None,
    Gzip,
    Snappy,
    Lz4,
    Zstd,
}

internal static class EventCompressionExtensions
{
    public static CompressionType ToKafka(this EventCompression compression) => compression switch
    {
        EventCompression.None => CompressionType.None,
        EventCompression.Gzip => CompressionType.Gzip,
        EventCompression.Snappy => CompressionType.Snappy,
        EventCompression.Lz4 => CompressionType.Lz4,
        EventCompression.Zstd => CompressionType.Zstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Kafka:Compression: unknown codec"),
    };
}
