using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Consuming;
using Platform.EventBus.Kafka;
using Platform.Testing;

namespace Platform.EventBus.Tests;

[Collection(KafkaCollection.Name)]
public sealed class ConsumerTests(KafkaFixture kafka)
{
    private sealed class RecordingHandler(Func<ConsumedEvent, bool> fails) : IEventHandler
    {
        public ConcurrentQueue<ConsumedEvent> Handled { get; } = new();
        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
        {
            Attempts.AddOrUpdate(consumed.Event.Id, 1, (_, n) => n + 1);
            if (fails(consumed)) throw new InvalidOperationException("handler rejects " + consumed.Event.Subject);
            Handled.Enqueue(consumed);
            return Task.CompletedTask;
        }
    }

    private EventConsumerService Consumer(string topic, IEventHandler handler, int maxAttempts = 3) => new(
        new EventConsumerOptions { GroupId = "g-" + Guid.NewGuid().ToString("N"), Topics = { topic }, MaxAttempts = maxAttempts, InitialBackoff = TimeSpan.FromMilliseconds(20) },
        new KafkaOptions { BootstrapServers = kafka.BootstrapServers },
        handler, NullLogger<EventConsumerService>.Instance, TimeProvider.System);

    [Fact]
    public async Task PublishedEvents_ReachConsumerGroup_InOrderPerKey()
    {
        var topic = kafka.CreateTopic("bus", partitions: 3);
        using var publisher = TestHost.Publisher(kafka.BootstrapServers);
        var events = Enumerable.Range(0, 60).Select(i => (topic, PlatformEvent.Create("/test", "io.platform.test.updated", $"k{i % 4}", new { seq = i }, subject: $"k{i % 4}"))).ToList();
        var results = await publisher.PublishBatchAsync(events);
        Assert.All(results, Assert.Null);

        var handler = new RecordingHandler(_ => false);
        using var consumer = Consumer(topic, handler);
        await consumer.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => handler.Handled.Count == 60, TimeSpan.FromSeconds(30), "60 events consumed");
        await consumer.StopAsync(CancellationToken.None);

        foreach (var group in handler.Handled.GroupBy(h => h.Event.Key))
        {
            var seqs = group.Select(h => h.Event.DataAs<Dictionary<string, int>>()!["seq"]).ToList();
            Assert.Equal(seqs.Order(), seqs);
        }
    }

    [Fact]
    public async Task PoisonMessage_GoesToDeadLetterTopic_AfterConfiguredAttempts_AndNextMessageIsHandled()
    {
        var topic = kafka.CreateTopic("poison", partitions: 1);
        kafka.EnsureTopic(topic + ".dlq", 1);
        using var publisher = TestHost.Publisher(kafka.BootstrapServers);
        await publisher.PublishAsync(topic, PlatformEvent.Create("/test", "io.platform.test.updated", "k", new { }, subject: "poison"));
        await publisher.PublishAsync(topic, PlatformEvent.Create("/test", "io.platform.test.updated", "k", new { }, subject: "good"));

        var handler = new RecordingHandler(c => c.Event.Subject == "poison");
        using var consumer = Consumer(topic, handler, maxAttempts: 3);
        await consumer.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => handler.Handled.Any(h => h.Event.Subject == "good"), TimeSpan.FromSeconds(30), "the message after the poison one");
        await consumer.StopAsync(CancellationToken.None);

        Assert.Equal(3, handler.Attempts.Single(a => a.Value == 3).Value);
        var dead = kafka.ConsumeMany(topic + ".dlq", 1, TimeSpan.FromSeconds(20));
        var letter = Assert.Single(dead);
        string Header(string n) => Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(n));
        Assert.Contains("handler rejects poison", Header(EventConsumerService.ErrorHeader));
        Assert.Equal("3", Header(EventConsumerService.AttemptsHeader));
        Assert.Equal(topic, Header(EventConsumerService.OriginalTopicHeader));
        Assert.Equal("poison", Header("ce_subject"));
    }

    [Fact]
    public async Task CommittedOffsets_AreNotRedelivered_ToTheSameGroup()
    {
        var topic = kafka.CreateTopic("commit", partitions: 1);
        using var publisher = TestHost.Publisher(kafka.BootstrapServers);
        for (var i = 0; i < 5; i++) await publisher.PublishAsync(topic, PlatformEvent.Create("/test", "io.platform.test.updated", "k", new { i }));
        var options = new EventConsumerOptions { GroupId = "g-" + Guid.NewGuid().ToString("N"), Topics = { topic } };
        var first = new RecordingHandler(_ => false);
        using (var c1 = new EventConsumerService(options, new KafkaOptions { BootstrapServers = kafka.BootstrapServers }, first, NullLogger<EventConsumerService>.Instance, TimeProvider.System))
        {
            await c1.StartAsync(CancellationToken.None);
            await Eventually.WaitAsync(() => first.Handled.Count == 5, TimeSpan.FromSeconds(30), "first 5 events");
            await c1.StopAsync(CancellationToken.None);
        }
        await publisher.PublishAsync(topic, PlatformEvent.Create("/test", "io.platform.test.updated", "k", new { i = 5 }, subject: "sixth"));
        var second = new RecordingHandler(_ => false);
        using var c2 = new EventConsumerService(options, new KafkaOptions { BootstrapServers = kafka.BootstrapServers }, second, NullLogger<EventConsumerService>.Instance, TimeProvider.System);
        await c2.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => !second.Handled.IsEmpty, TimeSpan.FromSeconds(30), "the sixth event");
        await c2.StopAsync(CancellationToken.None);
        Assert.Equal("sixth", Assert.Single(second.Handled).Event.Subject);
    }
}
