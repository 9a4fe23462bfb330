using Confluent.Kafka;
using Platform.EventBus.Kafka;

namespace Platform.Testing;

/// <summary>
/// The Kafka protocol for real: librdkafka's mock cluster (3 brokers on 127.0.0.1), one per test assembly.
/// Each test makes its own topics with <see cref="CreateTopic"/> so tests never share data.
/// </summary>
public sealed class KafkaFixture : IDisposable
{
    private readonly MockKafkaCluster _cluster = MockKafkaCluster.Start(3);

    public string BootstrapServers => _cluster.BootstrapServers;

    /// <summary>Creates a topic with a unique name (<paramref name="prefix"/> plus a random suffix) and returns the name.</summary>
    public string CreateTopic(string prefix = "test", int partitions = 3)
    {
        var name = $"{prefix}.{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 200)];
        _cluster.CreateTopic(name, partitions, 3);
        return name;
    }

    /// <summary>Creates a topic with an exact name (for code that publishes to fixed topic names).</summary>
    public void EnsureTopic(string name, int partitions = 3) => _cluster.CreateTopic(name, partitions, 3);

    /// <summary>A consumer in a fresh group reading <paramref name="topic"/> from the beginning.</summary>
    public IConsumer<string?, byte[]> CreateConsumer(string topic, string? groupId = null)
    {
        var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId ?? "test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        return consumer;
    }

    /// <summary>
    /// Consumes until <paramref name="count"/> messages arrived (those <paramref name="where"/> accepts, when given) or
    /// <paramref name="timeout"/> passed.
    /// </summary>
    public List<ConsumeResult<string?, byte[]>> ConsumeMany(string topic, int count, TimeSpan timeout, Func<ConsumeResult<string?, byte[]>, bool>? where = null)
    {
        using var consumer = CreateConsumer(topic);
        var results = new List<ConsumeResult<string?, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r is { IsPartitionEOF: false } && (where is null || where(r))) results.Add(r);
        }
        consumer.Close();
        return results;
    }

    public void Dispose() => _cluster.Dispose();
}
