using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Configuration;

namespace Platform.Discovery.Client.Registry;

/// <summary>Refreshes the registry cache every <c>eureka:client:registryFetchIntervalSeconds</c>.</summary>
internal sealed partial class RegistryFetchService(EurekaRegistryCache cache, IOptions<EurekaClientOptions> options, TimeProvider time,
    ILogger<RegistryFetchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ShouldFetchRegistry) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RegistryFetchIntervalSeconds), time);
        try
        {
            do
            {
                try
                {
                    await cache.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is HttpRequestException or FormatException or System.Text.Json.JsonException)
                {
                    // The last good copy stays in use; the next tick tries again.
                    LogFetchFailed(logger, ex.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "fetching the registry failed, keeping the last copy: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string reason);
}
