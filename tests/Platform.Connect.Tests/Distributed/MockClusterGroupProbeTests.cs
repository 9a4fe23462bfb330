using Confluent.Kafka;
using Platform.Testing;

namespace Platform.Connect.Tests.Distributed;

/// <summary>
/// The group design (docs/connect.md) relies on the broker rebalancing a consumer group when a member joins and when
/// one leaves; this pins that librdkafka's mock cluster, the test broker, does both.
/// </summary>
public sealed class MockClusterGroupProbeTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task TwoConsumers_SplitPartitions_AndTheSurvivorGetsAllWhenOneLeaves()
    {
        var topic = kafka.CreateTopic("probe", partitions: 4);
        var group = "probe-" + Guid.NewGuid().ToString("N");
        var a = new HashSet<int>();
        var b = new HashSet<int>();
        using var consumerA = Build(group, a);
        using var consumerB = Build(group, b);
        consumerA.Subscribe(topic);
        consumerB.Subscribe(topic);
        using var stop = new CancellationTokenSource();
        var pollA = Task.Run(() => Poll(consumerA, stop.Token));
        var pollB = Task.Run(() => Poll(consumerB, stop.Token));

        await Eventually.WaitAsync(() => { lock (a) lock (b) return a.Count == 2 && b.Count == 2; }, TimeSpan.FromSeconds(60), "both consumers to own two partitions");
        lock (a) lock (b) Assert.Empty(a.Intersect(b));

        await stop.CancelAsync();
        await pollB;
        consumerB.Close();
        using var stopA = new CancellationTokenSource();
        await pollA;
        pollA = Task.Run(() => Poll(consumerA, stopA.Token));
        await Eventually.WaitAsync(() => { lock (a) return a.Count == 4; }, TimeSpan.FromSeconds(60), "the survivor to own all four partitions");
        await stopA.CancelAsync();
        await pollA;
        consumerA.Close();
    }

    private IConsumer<Ignore, Ignore> Build(string group, HashSet<int> owned) =>
        new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = group,
            SessionTimeoutMs = 6000,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin,
        })
            .SetLogHandler((_, _) => { })
            .SetPartitionsAssignedHandler((_, ps) => { lock (owned) { owned.Clear(); owned.UnionWith(ps.Select(p => p.Partition.Value)); } })
            .SetPartitionsRevokedHandler((_, _) => { lock (owned) owned.Clear(); })
            .Build();

    private static void Poll(IConsumer<Ignore, Ignore> consumer, CancellationToken token)
    {
        while (!token.IsCancellationRequested) consumer.Consume(TimeSpan.FromMilliseconds(100));
    }
}
