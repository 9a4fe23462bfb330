using Microsoft.Extensions.Options;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api;

/// <summary>
/// Re-renders the full-registry documents clients asked for in the last five minutes at most once per
/// <c>Eureka:Server:ResponseCacheWarmIntervalSeconds</c> after a change, so a client's full fetch is
/// normally served from memory instead of paying for serialization (about a second at 100,000 instances).
/// A read that arrives before the warm-up still renders, or joins the render in progress: reads never see a
/// document older than the registry.
/// </summary>
internal sealed class ResponseCacheWarmer(ResponseCache cache, InstanceRegistry registry, IOptions<EurekaServerOptions> options,
    TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ResponseCacheWarmIntervalSeconds;
        if (interval <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(interval), time);
        var warmed = -1L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var version = registry.Version;
                if (version == warmed) continue;
                cache.Warm(Recent);
                warmed = version;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
