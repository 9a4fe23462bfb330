using System.Diagnostics;
using Confluent.Kafka;
using Platform.EventBus.Kafka;

namespace Platform.EventBus.Tests;

/// <summary>The development and test broker: calls into its thread are answered without waiting for its poll's timeout.</summary>
public sealed class MockKafkaClusterTests
{
    [Fact]
    public void TopicCreatesOneAfterAnother_AreAnsweredPromptly_AlsoWithABrokerDown()
    {
        using var cluster = MockKafkaCluster.Start(3);
        // Traffic, as in a test run or a running platform: the lost wake-ups happen while the thread also serves connections.
        cluster.CreateTopic("traffic", 3, 3);
        using var stop = new CancellationTokenSource();
        using var consuming = new ManualResetEventSlim();
        var traffic = Task.Run(() => Traffic(cluster.BootstrapServers, consuming, stop.Token));
        Assert.True(consuming.Wait(TimeSpan.FromSeconds(30)), "the consumer got no message");
        // Before the wake-up, a call made right after the previous answer often waited the poll's one-second timeout:
        // 40 creates took up to 16 s, 500 here 20 s or more. With it they take milliseconds; the bound leaves room for a
        // loaded machine and still fails without the wake-up.
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 500; i++) cluster.CreateTopic($"prompt-{i}", 3, 3);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"500 topic creates took {sw.Elapsed.TotalSeconds:F1} s");

        // The first broker's listener refuses while it is down: another broker's wakes the thread.
        cluster.SetBrokerUp(1, false);
        sw.Restart();
        for (var i = 0; i < 100; i++) cluster.CreateTopic($"down-{i}", 1, 1);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"100 topic creates with broker 1 down took {sw.Elapsed.TotalSeconds:F1} s");
        cluster.SetBrokerUp(1, true);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "prompt-499").Partitions.Count);
        Assert.Single(metadata.Topics.Single(t => t.Topic == "down-99").Partitions);
        stop.Cancel();
        traffic.Wait();
    }

    private static void Traffic(string bootstrap, ManualResetEventSlim consuming, CancellationToken ct)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "traffic", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("traffic");
        // One message, then consumers that wait for more: idle fetches, as most of a test run's consumers are.
        producer.Produce("traffic", new Message<Null, string> { Value = "x" });
        producer.Flush(TimeSpan.FromSeconds(5));
        while (!ct.IsCancellationRequested)
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not null) consuming.Set();
        consumer.Close();
    }
}
