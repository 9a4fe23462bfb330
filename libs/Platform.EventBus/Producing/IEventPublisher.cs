using Platform.EventBus.CloudEvents;

namespace Platform.EventBus.Producing;

/// <summary>Publishes CloudEvents to Kafka. Completes when the broker acknowledged the event (acks=all).</summary>
public interface IEventPublisher
{
    Task PublishAsync(string topic, PlatformEvent e, CancellationToken cancellationToken = default);

    /// <summary>Publishes in order (per key) and returns, for each event, null on success or the error.</summary>
    Task<IReadOnlyList<Exception?>> PublishBatchAsync(string topic, IReadOnlyList<PlatformEvent> events, CancellationToken cancellationToken = default);
}
