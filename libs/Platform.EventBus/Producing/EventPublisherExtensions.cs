using Platform.EventBus.CloudEvents;

namespace Platform.EventBus.Producing;

public static class EventPublisherExtensions
{
    /// <summary>Publishes a batch to one topic; returns, for each event, null on success or the error.</summary>
    public static Task<IReadOnlyList<Exception?>> PublishBatchAsync(this IEventPublisher publisher, string topic,
        IReadOnlyList<PlatformEvent> events, CancellationToken cancellationToken = default) =>
        publisher.PublishBatchAsync(events.Select(e => (topic, e)).ToList(), cancellationToken);
}
