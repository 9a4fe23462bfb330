using System.Diagnostics;
using System.Net;
using Confluent.Kafka;
using Platform.Contracts.Registry;
using Platform.Discovery.Tests.Infrastructure;
using Platform.EventBus.CloudEvents;
using Platform.Testing;

namespace Platform.Discovery.Tests.Events;

/// <summary>Registry changes on Kafka (the real protocol, librdkafka's mock cluster), each test on its own topic.</summary>
public sealed class RegistryEventTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task Registration_IsPublishedOnKafka_WithinASecond()
    {
        var topic = kafka.CreateTopic("registry");
        await using var server = await TestDiscoveryServer.StartAsync(Settings(topic));
        using var consumer = AssignedConsumer(topic);
        using var client = server.Client();

        // The server's first event also pays for the producer's start (metadata, idempotent producer id), which on a
        // busy 2-core machine alone can take a second; the bound is about a running registry, so it is measured after it.
        await Eureka.RegisterAsync(client, "warm-up", "warm-1", 8080);
        Assert.Equal("WARM-UP/warm-1", Next(consumer, TimeSpan.FromSeconds(10)).Key);

        var watch = Stopwatch.StartNew();
        await Eureka.RegisterAsync(client, "my-first-service", "first-1", 8081);
        var message = Next(consumer, TimeSpan.FromSeconds(10));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"event arrived after {watch.ElapsedMilliseconds} ms");
        Assert.Equal("MY-FIRST-SERVICE/first-1", message.Key);
        var e = KafkaCloudEventCodec.FromMessage(message);
        Assert.Equal("io.platform.registry.registered", e.Type);
        Assert.Equal("/discovery", e.Source);
        var data = e.DataAs<RegistryEvent>()!;
        Assert.Equal(RegistryEvent.Actions.Registered, data.Action);
        Assert.Equal("MY-FIRST-SERVICE", data.App);
        Assert.Equal("first-1", data.InstanceId);
        Assert.Equal("UP", data.Status);
        Assert.Equal(8081, data.Port);
        Assert.Equal("127.0.0.1", data.IpAddr);
        Assert.Equal("my-first-service", data.VipAddress);
    }

    [Fact]
    public async Task StatusChange_Cancel_AndExpiry_ArePublishedInOrder_HeartbeatsAreNot()
    {
        var topic = kafka.CreateTopic("registry", partitions: 1);
        var clock = TestDiscoveryServer.FakeClock();
        var settings = Settings(topic);
        settings["Eureka:Server:EnableSelfPreservation"] = "false";
        await using var server = await TestDiscoveryServer.StartAsync(settings, clock);
        using var consumer = AssignedConsumer(topic);
        using var client = server.Client();

        await Eureka.RegisterAsync(client, "orders", "o-1");
        await Eureka.RegisterAsync(client, "orders", "o-2", duration: 5);
        using (var r = await client.PutAsync("apps/ORDERS/o-1", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await client.PutAsync("apps/ORDERS/o-1/status?value=OUT_OF_SERVICE", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await client.DeleteAsync("apps/ORDERS/o-1")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        clock.Advance(TimeSpan.FromSeconds(6));
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            using var r = await client.GetAsync("apps/ORDERS/o-2");
            return r.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "o-2 to expire");

        var seen = new List<(string? Key, string Action, string Status)>();
        for (var n = 0; n < 5; n++)
        {
            var data = KafkaCloudEventCodec.FromMessage(Next(consumer, TimeSpan.FromSeconds(10))).DataAs<RegistryEvent>()!;
            seen.Add(($"{data.App}/{data.InstanceId}", data.Action, data.Status));
        }
        Assert.Equal(
        [
            ("ORDERS/o-1", "registered", "UP"),
            ("ORDERS/o-2", "registered", "UP"),
            ("ORDERS/o-1", "status-changed", "OUT_OF_SERVICE"),
            ("ORDERS/o-1", "cancelled", "OUT_OF_SERVICE"),
            ("ORDERS/o-2", "expired", "UP"),
        ], seen);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task RestartedServer_RestoresTheRegistryFromItsTopic_BeforeAnyHeartbeat_WithoutPublishingItAgain()
    {
        var topic = kafka.CreateTopic("registry");
        using var consumer = AssignedConsumer(topic);
        await using (var first = await TestDiscoveryServer.StartAsync(Settings(topic)))
        {
            using var client = first.Client();
            await Eureka.RegisterAsync(client, "orders", "o-1", 8081);
            await Eureka.RegisterAsync(client, "orders", "o-2", 8082);
            using (var r = await client.DeleteAsync("apps/ORDERS/o-2")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            using (var r = await client.PutAsync("apps/ORDERS/o-1/status?value=OUT_OF_SERVICE", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            for (var i = 0; i < 4; i++) Next(consumer, TimeSpan.FromSeconds(10)); // all four published before the restart
        }

        // A new server on the same topic, as after kill -9: it listens with o-1 back (its last status), o-2 still gone.
        await using var second = await TestDiscoveryServer.StartAsync(Settings(topic));
        using var restarted = second.Client();
        var app = await restarted.GetStringAsync("apps/ORDERS");
        Assert.Contains("\"o-1\"", app);
        Assert.Contains("OUT_OF_SERVICE", app);
        Assert.Contains("8081", app);
        Assert.DoesNotContain("o-2", app);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));

        // The instance's own next registration replaces the restored entry.
        await Eureka.RegisterAsync(restarted, "orders", "o-1", 9091);
        Assert.Contains("9091", await restarted.GetStringAsync("apps/ORDERS"));
    }

    private Dictionary<string, string?> Settings(string topic) => new()
    {
        ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        ["Eureka:Server:EventsTopic"] = topic,
    };

    /// <summary>A consumer assigned to every partition from the start: no group join, so latency is the registry's.</summary>
    private IConsumer<string?, byte[]> AssignedConsumer(string topic)
    {
        var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "test-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        }).SetLogHandler((_, _) => { }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions;
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p.PartitionId, Offset.Beginning)));
        consumer.Consume(TimeSpan.FromMilliseconds(100));
        return consumer;
    }

    private static Message<string?, byte[]> Next(IConsumer<string?, byte[]> consumer, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (r is { IsPartitionEOF: false, Message: not null }) return r.Message;
        }
        throw new TimeoutException($"no registry event within {timeout.TotalSeconds} s");
    }
}
