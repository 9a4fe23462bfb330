using Platform.EventBus.CloudEvents;

namespace Platform.EventBus.Producing;

/// <summary>Publishes CloudEvents to Kafka. Completes when the broker acknowledged the event (acks=all).</summary>
public interface IEventPublisher
{
    Task PublishAsync(string topic, PlatformEvent e, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts the whole batch in flight at once, in list order (so per key order holds), and returns for each
    /// event null on success or the error.
    /// </summary>
    Task<IReadOnlyList<Exception?>> PublishBatchAsync(IReadOnlyList<(string Topic, PlatformEvent Event)> events,
        CancellationToken cancellationToken = default);
}
