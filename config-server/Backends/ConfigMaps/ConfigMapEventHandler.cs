using System.Text.Json;
using Platform.ConfigServer.Refresh;
using Platform.EventBus.Consuming;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// Keeps <see cref="ConfigMapStore"/> in step with <c>io.platform.configmap.*</c> events and publishes a bus
/// refresh for each application a change touched. Events older than this process are the replay that rebuilds
/// the store at start, so they refresh nobody.
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
        var changed = store.Apply(doc.RootElement, deleted: e.Type.EndsWith(".deleted", StringComparison.Ordinal));
        if (changed.Count == 0 || e.Time < _startedAt || !bus.Enabled) return;
        var destinations = changed.Contains("application") ? ["**"] : changed.Select(a => a + ":**").ToArray();
        foreach (var destination in destinations) await bus.PublishAsync(destination, cancellationToken);
        LogRefreshed(logger, e.Subject ?? e.Key ?? "", string.Join(",", destinations));
    }

    [LoggerMessage(EventId = 8601, Level = LogLevel.Information, Message = "configmap {ConfigMap} changed; refreshed {Destinations}")]
    private static partial void LogRefreshed(ILogger logger, string configMap, string destinations);
}
