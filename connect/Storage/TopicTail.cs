using Confluent.Kafka;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>
/// Reads the last record of every partition of a topic: a consumer assigned (no group, nothing committed) at each
/// partition's high watermark minus one. What a source task uses to learn how far its output reached Kafka.
/// </summary>
internal static class TopicTail
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>One entry per partition: the last record's headers, or null for an empty partition.</summary>
    public static async Task<IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?>> LastRecordHeadersAsync(KafkaOptions kafka, string topic,
        CancellationToken cancellationToken)
    {
        var partitions = PartitionCount(kafka, topic);
        if (partitions == 0) return [];
        // The consumer blocks in librdkafka; it runs off the caller's thread.
        return await Task.Run(() => Read(kafka, topic, partitions, cancellationToken), cancellationToken);
    }

    private static int PartitionCount(KafkaOptions kafka, string topic)
    {
        var config = kafka.ApplyTo(new AdminClientConfig());
        // Looking must not create the topic (an admin client is a producer, which may auto-create by default).
        config.Set("allow.auto.create.topics", "false");
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(topic, Timeout).Topics.FirstOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.Code == ErrorCode.UnknownTopicOrPart) return 0;
        if (metadata.Error.IsError) throw new KafkaException(metadata.Error);
        return metadata.Partitions.Count;
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, byte[]?>?> Read(KafkaOptions kafka, string topic, int partitions, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(kafka.ApplyTo(new ConsumerConfig
        {
            GroupId = "unused-tail-" + topic,
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        })).SetLogHandler((_, _) => { }).Build();
        var result = new IReadOnlyDictionary<string, byte[]?>?[partitions];
        var wanted = new Dictionary<int, long>();
        for (var p = 0; p < partitions; p++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), Timeout);
            if (marks.High.Value > marks.Low.Value) wanted[p] = marks.High.Value - 1;
        }
        consumer.Assign(wanted.Select(w => new TopicPartitionOffset(topic, w.Key, w.Value)));
        var deadline = DateTime.UtcNow + Timeout;
        while (wanted.Count > 0)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"the last records of {topic} (partitions {string.Join(", ", wanted.Keys)}) could not be read within {Timeout.TotalSeconds:0} s");
            cancellationToken.ThrowIfCancellationRequested();
            var record = consumer.Consume(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
            if (record?.Message is null || !wanted.TryGetValue(record.Partition.Value, out var last) || record.Offset.Value < last) continue;
            var headers = new Dictionary<string, byte[]?>();
            foreach (var h in record.Message.Headers ?? []) headers[h.Key] = h.GetValueBytes();
            result[record.Partition.Value] = headers;
            wanted.Remove(record.Partition.Value);
        }
        return result;
    }
}
