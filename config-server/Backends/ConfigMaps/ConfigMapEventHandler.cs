using System.Text.Json;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Refresh;
using Platform.EventBus.Consuming;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// Keeps <see cref="ConfigMapStore"/> in step with <c>io.platform.configmap.*</c> events and publishes a bus
/// refresh for each application a change touched. Events older than this process are the replay that rebuilds
/// the store at start, so they refresh nobody. A ConfigMap over a limit is logged, counted and rethrown as the
/// <see cref="FormatException"/> it is, which the consumer dead-letters without retrying; the previous version stays
/// served and the replay after a restart skips it the same way.
/// </summary>
internal sealed partial class ConfigMapEventHandler(
    ConfigMapStore store,
    BusRefreshPublisher bus,
    TimeProvider time,
    ILogger<ConfigMapEventHandler> logger) : IEventHandler
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public async Task HandleAsync(ConsumedEvent consumed, CancellationToken cancellationToken)
    {
        var e = consumed.Event;
        if (!e.Type.StartsWith("io.platform.configmap.", StringComparison.Ordinal)) return;
        using var doc = JsonDocument.Parse(e.Data);
        IReadOnlyList<string> changed;
        try
        {
            changed = store.Apply(doc.RootElement, deleted: e.Type.EndsWith(".deleted", StringComparison.Ordinal));
        }
        catch (DocumentLimitException ex)
        {
            LimitMetrics.Rejected("configmap", ex);
            LogRejected(logger, e.Subject ?? e.Key ?? "", consumed.Topic, consumed.Partition, consumed.Offset, ex.LimitKey, ex.Message);
            throw;
        }
        if (changed.Count == 0 || e.Time < _startedAt || !bus.Enabled) return;
        var destinations = changed.Contains("application") ? ["**"] : changed.Select(a => a + ":**").ToArray();
        foreach (var destination in destinations) await bus.PublishAsync(destination, cancellationToken);
        LogRefreshed(logger, e.Subject ?? e.Key ?? "", string.Join(",", destinations));
    }

    [LoggerMessage(EventId = 8602, Level = LogLevel.Warning,
        Message = "configmap {ConfigMap} at {Topic}[{Partition}]@{Offset} not served: {LimitKey} exceeded ({Reason})")]
    private static partial void LogRejected(ILogger logger, string configMap, string topic, int partition, long offset, string limitKey, string reason);

    [LoggerMessage(EventId = 8601, Level = LogLevel.Information, Message = "configmap {ConfigMap} changed; refreshed {Destinations}")]
    private static partial void LogRefreshed(ILogger logger, string configMap, string destinations);
}
