using Microsoft.Extensions.Options;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Leases;

/// <summary>
/// Evicts expired leases every <c>EvictionIntervalSeconds</c> and resets the self-preservation baseline every
/// <c>RenewalThresholdUpdateIntervalSeconds</c>. Runs on the injected clock so tests drive it with a fake one.
/// </summary>
internal sealed partial class EvictionService(InstanceRegistry registry, IOptions<EurekaServerOptions> options,
    SelfPreservation selfPreservation, TimeProvider time, ILogger<EvictionService> logger) : BackgroundService
{
    private readonly EurekaServerOptions _o = options.Value;
    private bool _wasPreserving;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_o.EvictionIntervalSeconds), time);
        var nextReset = time.GetUtcNow().AddSeconds(_o.RenewalThresholdUpdateIntervalSeconds);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (time.GetUtcNow() >= nextReset)
                {
                    registry.ResetExpectedRenewals();
                    nextReset = time.GetUtcNow().AddSeconds(_o.RenewalThresholdUpdateIntervalSeconds);
                }
                var preserving = selfPreservation.IsActive;
                if (preserving != _wasPreserving)
                {
                    LogSelfPreservation(logger, preserving, selfPreservation.RenewsLastMinute, selfPreservation.RenewsPerMinThreshold);
                    _wasPreserving = preserving;
                }
                foreach (var evicted in registry.EvictExpired(_o.RenewalPercentThreshold))
                    LogEvicted(logger, evicted.App, evicted.InstanceId);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "evicted {App}/{InstanceId}: lease expired")]
    private static partial void LogEvicted(ILogger logger, string app, string instanceId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "self-preservation active={Active}: {Renews} renewals in the last minute, threshold {Threshold}; expired leases are kept while active")]
    private static partial void LogSelfPreservation(ILogger logger, bool active, long renews, int threshold);
}
