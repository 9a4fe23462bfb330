using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Registry;
using Platform.EventBus.Kafka;
using Platform.Gateway.Configuration;

namespace Platform.Gateway.Discovery;

/// <summary>
/// When the shared registry client fetches: once at start (retrying with back-off until the registry answers), then
/// only while Kafka is unreachable (or not configured), every <c>Gateway:Discovery:PollInterval</c>; otherwise
/// <c>platform.registry</c> events keep the copy current. Each refresh is the client's: a delta checked against the
/// reconcile hash, everything again when it disagrees or the registry has no delta endpoint.
/// </summary>
internal sealed partial class RegistrySyncService(
    IDiscoveryClient registry,
    IOptions<GatewayOptions> options,
    IServiceProvider services,
    RegistryReadiness readiness,
    ILogger<RegistrySyncService> logger,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Discovery.EurekaUrl))
        {
            readiness.Loaded();
            LogNoRegistry(logger);
            return;
        }
        var kafka = services.GetService(typeof(IOptions<KafkaOptions>)) is IOptions<KafkaOptions> k && !string.IsNullOrWhiteSpace(k.Value.BootstrapServers)
            ? k.Value : null;
        using var admin = kafka is null ? null : new AdminClientBuilder(kafka.ApplyTo(new AdminClientConfig()))
            .SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
        var backoff = TimeSpan.FromMilliseconds(200);
        var loaded = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!loaded || !KafkaReachable(admin))
            {
                try
                {
                    await registry.RefreshAsync(stoppingToken).ConfigureAwait(false);
                    if (!loaded) LogLoaded(logger, registry.Applications.Apps.Values.Sum(i => i.Count));
                    loaded = true;
                    readiness.Loaded();
                    backoff = TimeSpan.FromMilliseconds(200);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or FormatException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
                {
                    LogFetchFailed(logger, ex);
                    await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, options.Value.Discovery.PollInterval.TotalMilliseconds));
                    continue;
                }
            }
            await Task.Delay(options.Value.Discovery.PollInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    private static bool KafkaReachable(IAdminClient? admin)
    {
        if (admin is null) return false;
        try { return admin.GetMetadata(TimeSpan.FromSeconds(2)).Brokers.Count > 0; }
        catch (KafkaException) { return false; }
    }

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "registry loaded: {Count} instances")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "registry fetch failed; retrying")]
    private static partial void LogFetchFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "no Gateway:Discovery:EurekaUrl (or EUREKA_URL): lb:// routes have no instances")]
    private static partial void LogNoRegistry(ILogger logger);
}
