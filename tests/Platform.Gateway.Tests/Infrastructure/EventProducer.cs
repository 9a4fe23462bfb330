using Confluent.Kafka;
using Platform.Contracts.Events;
using Platform.Contracts.Registry;
using Platform.EventBus.CloudEvents;

namespace Platform.Gateway.Tests.Infrastructure;

/// <summary>Publishes CloudEvents on the mock cluster the way discovery and the apiserver do.</summary>
public sealed class EventProducer(string bootstrapServers) : IDisposable
{
    private readonly IProducer<string?, byte[]> _producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 0,
    }).SetLogHandler((_, _) => { }).Build();

    public Task PublishAsync<T>(string topic, string type, string key, T data) =>
        _producer.ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(PlatformEvent.Create("test", type, key, data)));

    /// <summary>A resource event as the apiserver's outbox writes it: the object, and its resourceVersion as an extension.</summary>
    public Task PublishResourceAsync<T>(string topic, string type, string key, T data, string resourceVersion) =>
        _producer.ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(PlatformEvent.Create("test", type, key, data) with
        {
            Extensions = new Dictionary<string, string> { ["resourceversion"] = resourceVersion },
        }));

    public Task RegistryAsync(string topic, string action, string app, string instanceId, int port, string status = "UP",
        Dictionary<string, string>? metadata = null) =>
        PublishAsync(topic, EventTypes.For("registry", action), $"{app}/{instanceId}", new RegistryEvent
        {
            Action = action, App = app, InstanceId = instanceId, Status = status, HostName = "127.0.0.1", IpAddr = "127.0.0.1",
            Port = port, Metadata = metadata, Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });

    public void Dispose() => _producer.Dispose();
}
