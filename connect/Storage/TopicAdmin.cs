using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Platform.EventBus.Kafka;

namespace Platform.Connect.Storage;

/// <summary>
/// Makes sure a worker topic exists and says how many partitions it has. Brokers that do not answer CreateTopics
/// (librdkafka's mock cluster, the development broker) get the topic auto-created with their default partition count;
/// callers use the count returned, never the one they asked for.
/// </summary>
internal static class TopicAdmin
{
    // Once a broker left CreateTopics unanswered, the next topics go straight to auto-creation instead of waiting again.
    private static volatile bool s_createTopicsUnanswered;

    public static async Task<int> EnsureTopicAsync(KafkaOptions kafka, string topic, int partitions, short replicationFactor,
        IReadOnlyDictionary<string, string>? configs, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(kafka.ApplyTo(new AdminClientConfig())).SetLogHandler((_, _) => { }).Build();
        if (PartitionCount(admin.GetMetadata(TimeSpan.FromSeconds(10)), topic) is { } existing) return existing;
        try
        {
            if (s_createTopicsUnanswered) throw new TimeoutException("CreateTopics went unanswered before");
            await admin.CreateTopicsAsync(
                [new TopicSpecification
                {
                    Name = topic,
                    NumPartitions = partitions,
                    ReplicationFactor = replicationFactor,
                    Configs = configs?.ToDictionary(),
                }],
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) })
                .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            // Asking for the topic's metadata makes a broker with auto-creation create it.
            s_createTopicsUnanswered = true;
        }
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (PartitionCount(admin.GetMetadata(topic, TimeSpan.FromSeconds(10)), topic) is { } count) return count;
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"topic {topic} could not be created (no CreateTopics answer and no auto-creation)");
    }

    private static int? PartitionCount(Metadata metadata, string topic) =>
        metadata.Topics.FirstOrDefault(t => t.Topic == topic) is { Error.IsError: false, Partitions.Count: > 0 } t ? t.Partitions.Count : null;
}
