using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Producing;

namespace Platform.ConfigServer.Refresh;

/// <summary>
/// Publishes refresh events on the bus topic. The Kafka value is exactly Spring Cloud Bus's JSON, so Spring
/// and Steeltoe-style consumers read it unchanged; the CloudEvents attributes ride along as <c>ce_</c> headers.
/// </summary>
internal sealed partial class BusRefreshPublisher(
    IServiceProvider services,
    IOptions<BusOptions> options,
    TimeProvider time,
    ILogger<BusRefreshPublisher> logger)
{
    public const string CloudEventType = "org.springframework.cloud.bus.event.RefreshRemoteApplicationEvent";

    public bool Enabled => options.Value.Enabled;

    public async Task<RefreshRemoteApplicationEvent> PublishAsync(string destination, CancellationToken cancellationToken)
    {
        var publisher = services.GetRequiredService<IEventPublisher>();
        var o = options.Value;
        var e = new RefreshRemoteApplicationEvent(RefreshRemoteApplicationEvent.TypeName, time.GetUtcNow().ToUnixTimeMilliseconds(),
            o.ServiceId, destination, Guid.NewGuid().ToString());
        var ce = PlatformEvent.Create("/config-server", CloudEventType, null, e, subject: destination);
        await publisher.PublishAsync(o.Topic, ce with { Id = e.Id }, cancellationToken);
        LogPublished(logger, e.Id, destination, o.Topic);
        return e;
    }

    /// <summary>Spring's rule: a destination without an instance part (<c>customers</c>) means every instance (<c>customers:**</c>).</summary>
    public static string NormalizeDestination(string? destination) =>
        string.IsNullOrWhiteSpace(destination) || destination == "**" ? "**"
        : destination.Contains(':', StringComparison.Ordinal) ? destination : destination + ":**";

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "published refresh {EventId} for {Destination} on {Topic}")]
    private static partial void LogPublished(ILogger logger, string eventId, string destination, string topic);
}
