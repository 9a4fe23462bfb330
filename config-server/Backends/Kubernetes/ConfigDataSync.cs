using System.Threading.Channels;
using Platform.ApiServer.Client.Informers;
using Platform.ConfigServer.Limits;
using Platform.ConfigServer.Refresh;
using Platform.Contracts.Resources;

namespace Platform.ConfigServer.Backends.Kubernetes;

/// <summary>
/// Keeps a source's <see cref="ConfigDataStore"/> in step with the kit's informer of its kind and publishes a bus
/// refresh for each application a change touched once the first list is in (the list itself is what a start serves,
/// refreshing nobody). An object over a limit or with a document that cannot be parsed is refused by the informer's
/// check: logged (by name, never its data) and counted, its event dead-lettered by the consumer with the reason, the
/// previous version still served; after a restart the list skips it the same way.
/// </summary>
internal sealed partial class ConfigDataSync<T> : BackgroundService where T : Resource
{
    private readonly IConfigDataSource _source;
    private readonly BusRefreshPublisher _bus;
    private readonly ILogger<ConfigDataSync<T>> _logger;
    private readonly Informer<T> _informer;
    private readonly Channel<string[]> _refreshes = Channel.CreateUnbounded<string[]>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Asks for the informer at construction, before any hosted service starts, so no event finds it missing.</summary>
    public ConfigDataSync(SharedInformerFactory informers, IConfigDataSource source, BusRefreshPublisher bus, ILogger<ConfigDataSync<T>> logger)
    {
        _source = source;
        _bus = bus;
        _logger = logger;
        _informer = informers.For<T>(source.Kind, o =>
        {
            o.Validate = Check;
            o.GetOnEvent = source.EventsOmitData;
        });
        var store = source.Store;
        _informer.AddEventHandler(
            added: obj => Changed(obj, store.Put(obj)),
            updated: (_, obj) => Changed(obj, store.Put(obj)),
            deleted: obj => Changed(obj, store.Remove(obj)));
    }

    private string Describe(Resource r) => $"{_source.Kind.Plural}/{r.Metadata.Namespace}/{r.Metadata.Name}";

    private string? Check(Resource r)
    {
        try
        {
            _source.Store.Check(r);
            return null;
        }
        catch (DocumentLimitException ex)
        {
            LimitMetrics.Rejected(_source.Kind.Kind.ToLowerInvariant(), ex);
            LogRejected(_logger, Describe(r), r.Metadata.ResourceVersion, ex.LimitKey, ex.Message);
            return ex.Message;
        }
        catch (InvalidDataException ex)
        {
            LogUnreadable(_logger, Describe(r), r.Metadata.ResourceVersion, ex.Message);
            return ex.Message;
        }
    }

    private void Changed(Resource obj, IReadOnlyList<string> applications)
    {
        if (applications.Count == 0 || !_informer.HasSynced || !_bus.Enabled) return;
        var destinations = applications.Contains("application") ? ["**"] : applications.Select(a => a + ":**").ToArray();
        _refreshes.Writer.TryWrite(destinations);
        LogRefreshing(_logger, Describe(obj), string.Join(",", destinations));
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
        Message = "{Object} at resourceVersion {Version} not served: {LimitKey} exceeded ({Reason})")]
    private static partial void LogRejected(ILogger logger, string @object, string? version, string limitKey, string reason);

    [LoggerMessage(EventId = 8604, Level = LogLevel.Warning, Message = "{Object} at resourceVersion {Version} not served: unreadable ({Reason})")]
    private static partial void LogUnreadable(ILogger logger, string @object, string? version, string reason);

    [LoggerMessage(EventId = 8601, Level = LogLevel.Information, Message = "{Object} changed; refreshing {Destinations}")]
    private static partial void LogRefreshing(ILogger logger, string @object, string destinations);

    [LoggerMessage(EventId = 8603, Level = LogLevel.Warning, Message = "publishing the refresh of {Destination} failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception ex, string destination);
}
