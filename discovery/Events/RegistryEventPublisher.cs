using Microsoft.Extensions.Options;
using Platform.Contracts.Events;
using Platform.Discovery.Configuration;
using Platform.Contracts.Registry;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Producing;

namespace Platform.Discovery.Events;

/// <summary>
/// Publishes queued registry events on <c>platform.registry</c> (<c>Eureka:Server:EventsTopic</c>) (key <c>APP/instanceId</c>), in batches as they
/// come, retrying a failed batch with back-off so order per instance is kept.
/// </summary>
internal sealed partial class RegistryEventPublisher(RegistryEventQueue queue, IEventPublisher publisher,
    IOptions<EurekaServerOptions> options, ILogger<RegistryEventPublisher> logger) : BackgroundService
{
    public const string Source = "/discovery";
    private const int MaxBatch = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PlatformEvent>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var e)) batch.Add(ToCloudEvent(e));
                await PublishWithRetryAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task PublishWithRetryAsync(List<PlatformEvent> batch, CancellationToken ct)
    {
        var pending = batch;
        for (var attempt = 1; ; attempt++)
        {
            var results = await publisher.PublishBatchAsync(options.Value.EventsTopic, pending, ct);
            var failed = pending.Where((_, n) => results[n] is not null).ToList();
            if (failed.Count == 0) return;
            LogPublishFailed(logger, failed.Count, attempt, results.First(r => r is not null)!.Message);
            pending = failed;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5_000, 100 * attempt * attempt)), ct);
        }
    }

    private static PlatformEvent ToCloudEvent(RegistryEvent e) =>
        PlatformEvent.Create(Source, EventTypes.For("registry", e.Action), $"{e.App}/{e.InstanceId}", e, subject: $"{e.App}/{e.InstanceId}")
            with { Time = DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp) };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Count} registry events not acknowledged by Kafka (attempt {Attempt}), retrying: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, int count, int attempt, string reason);
}
