using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Refresh;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.ConfigMaps;

/// <summary>
/// Keeps <see cref="ConfigMapStore"/> in step with the kit's ConfigMap informer and publishes a bus refresh for each
/// application a change touched once the first list is in (the list itself is what a start serves, refreshing nobody).
/// A ConfigMap over a limit is refused by the informer's check: logged and counted, its event dead-lettered by the
/// consumer with the limit named, the previous version still served; after a restart the list skips it the same way.
/// </summary>
internal sealed partial class ConfigMapSync : BackgroundService
{
    private readonly ConfigMapStore _store;
    private readonly BusRefreshPublisher _bus;
    private readonly ILogger<ConfigMapSync> _logger;
    private readonly Informer<ConfigMap> _informer;
    private readonly Channel<string[]> _refreshes = Channel.CreateUnbounded<string[]>(new UnboundedChannelOptions { SingleReader = true });

    public ConfigMapSync(SharedInformerFactory informers, ConfigMapStore store, BusRefreshPublisher bus, ILogger<ConfigMapSync> logger)
    {
        _store = store;
        _bus = bus;
        _logger = logger;
        _informer = informers.For<ConfigMap>(ResourceKinds.ConfigMap, o =>
        {
            o.Validate = Check;
        });
        _informer.AddEventHandler(
            added: cm => Changed(cm.Metadata.Name!, store.Put(cm)),
            updated: (_, cm) => Changed(cm.Metadata.Name!, store.Put(cm)),
            deleted: cm => Changed(cm.Metadata.Name!, store.Remove(cm)));
    }

    private string? Check(Resource r)
    {
        try
        {
            _store.Check((ConfigMap)r);
            return null;
        }
        catch (DocumentLimitException ex)
        {
            LimitMetrics.Rejected("configmap", ex);
            LogRejected(_logger, $"configmaps/{r.Metadata.Namespace}/{r.Metadata.Name}", r.Metadata.ResourceVersion, ex.LimitKey, ex.Message);
            return ex.Message;
        }
    }

    private void Changed(string name, IReadOnlyList<string> applications)
    {
        if (applications.Count == 0 || !_informer.HasSynced || !_bus.Enabled) return;
        var destinations = applications.Contains("application") ? ["**"] : applications.Select(a => a + ":**").ToArray();
        _refreshes.Writer.TryWrite(destinations);
        LogRefreshing(_logger, name, string.Join(",", destinations));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var destinations in _refreshes.Reader.ReadAllAsync(stoppingToken))
            foreach (var destination in destinations)
            {
                try
                {
                    await _bus.PublishAsync(destination, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRefreshFailed(_logger, ex, destination);
                }
            }
    }

    [LoggerMessage(EventId = 8602, Level = LogLevel.Warning,
        Message = "configmap {ConfigMap} at resourceVersion {Version} not served: {LimitKey} exceeded ({Reason})")]
    private static partial void LogRejected(ILogger logger, string configMap, string? version, string limitKey, string reason);

    [LoggerMessage(EventId = 8601, Level = LogLevel.Information, Message = "configmap {ConfigMap} changed; refreshing {Destinations}")]
    private static partial void LogRefreshing(ILogger logger, string configMap, string destinations);

    [LoggerMessage(EventId = 8603, Level = LogLevel.Warning, Message = "publishing the refresh of {Destination} failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex, string destination);
}
