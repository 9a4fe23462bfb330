using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.EventBus.Kafka;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Discovery;

/// <summary>
/// Fills the <see cref="RegistryCache"/> with a full fetch at start (retrying with back-off until the registry
/// answers), then leaves freshness to <c>platform.registry</c> events; while Kafka is unreachable (or not
/// configured) it polls <c>/apps/delta</c> every <c>Gateway:Discovery:PollInterval</c>, falling back to a full
/// fetch when the reconcile hash disagrees (or the registry has no delta endpoint).
/// </summary>
internal sealed partial class RegistrySyncService(
    EurekaClient eureka,
    RegistryCache cache,
    IOptions<GatewayOptions> options,
    IServiceProvider services,
    ILogger<RegistrySyncService> logger,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var url = options.Value.Discovery.EurekaUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            LogNoRegistry(logger);
            return;
        }
        var kafka = services.GetService(typeof(IOptions<KafkaOptions>)) is IOptions<KafkaOptions> k && !string.IsNullOrWhiteSpace(k.Value.BootstrapServers)
            ? k.Value.BootstrapServers : null;
        using var admin = kafka is null ? null : new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka })
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var backoff = TimeSpan.FromMilliseconds(200);
        var loaded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!loaded || !KafkaReachable(admin))
            {
                try
                {
                    // Eureka clients' reconcile: apply the delta, and fetch everything when the hash disagrees.
                    if (!loaded || !await ApplyDeltaAsync(url, stoppingToken).ConfigureAwait(false))
                    {
                        var instances = await eureka.FetchAllAsync(url, stoppingToken).ConfigureAwait(false);
                        cache.ReplaceAll(instances);
                        if (!loaded) LogLoaded(logger, instances.Count, url);
                    }
                    loaded = true;
                    backoff = TimeSpan.FromMilliseconds(200);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException && !stoppingToken.IsCancellationRequested)
                {
                    LogFetchFailed(logger, ex, url);
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.Value.Discovery.PollInterval.TotalMilliseconds));
                    continue;
                }
            }
            await Task.Delay(options.Value.Discovery.PollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>False when a full fetch is needed: hash mismatch, or a registry without <c>/apps/delta</c>.</summary>
    private async Task<bool> ApplyDeltaAsync(string url, CancellationToken ct)
    {
        try
        {
            return cache.ApplyDelta(await eureka.FetchDeltaAsync(url, ct).ConfigureAwait(false));
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
        {
            return false;
        }
    }

    private static bool KafkaReachable(IAdminClient? admin)
    {
        if (admin is null) return false;
        try { return admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count > 0; }
        catch (KafkaException) { return false; }
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "registry loaded: {Count} instances from {Url}")]
    private static partial void LogLoaded(ILogger logger, int count, string url);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "registry fetch from {Url} failed; retrying")]
    private static partial void LogFetchFailed(ILogger logger, Exception ex, string url);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "no Gateway:Discovery:EurekaUrl (or EUREKA_URL): lb:// routes have no instances")]
    private static partial void LogNoRegistry(ILogger logger);
}
