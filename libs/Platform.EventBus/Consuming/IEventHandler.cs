using Platform.EventBus.CloudEvents;

namespace Platform.EventBus.Consuming;

/// <summary>
/// Handles one consumed event. Delivery is at least once: the same event (same <see cref="PlatformEvent.Id"/>)
/// can arrive again after a crash or rebalance, so a handler must be idempotent or dedupe by id.
/// Throwing makes the consumer retry with back-off, then dead-letter the message.
/// </summary>
public interface IEventHandler
{
    Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken);
}

public sealed record ConsumedEvent(PlatformEvent Event, string Topic, int Partition, long Offset, int Attempt);
