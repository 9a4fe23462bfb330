using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Platform.Gateway.Configuration;
using Platform.ServiceDefaults;

namespace Platform.Gateway.Startup;

/// <summary>
/// Listener warming, as Envoy does it: the gateway opens its port only once its readiness checks pass (routes and
/// API keys listed from the apiserver, the registry's first view in, Kafka reachable), so a restarted replica never
/// answers 404 for a route it has not loaded yet or 503 for an <c>lb://</c> name it has not resolved. Hosted services
/// start before Kestrel listens and in the order they were added; this one is added after everything that feeds the
/// snapshot, and waits at most <c>Gateway:WarmupTimeout</c>: a gateway whose apiserver or registry is down still
/// starts and serves what it has, logging what was not ready.
/// </summary>
internal sealed partial class ListenerWarmup(IServiceProvider services, IOptions<HealthCheckServiceOptions> checks, IOptions<GatewayOptions> options,
    ILogger<ListenerWarmup> logger) : IHostedService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.WarmupTimeout;
        if (limit <= TimeSpan.Zero) return;
        var watch = Stopwatch.StartNew();
        // The ready checks themselves, not HealthCheckService, which logs every unhealthy result as an error.
        var ready = checks.Value.Registrations.Where(r => r.Tags.Contains(PlatformDefaultsExtensions.ReadyTag)).ToList();
        List<string> pending;
        while (true)
        {
            pending = [];
            foreach (var registration in ready)
            {
                HealthCheckResult result;
                try
                {
                    result = await registration.Factory(services)
                        .CheckHealthAsync(new HealthCheckContext { Registration = registration }, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    result = HealthCheckResult.Unhealthy(ex.Message);
                }
                if (result.Status != HealthStatus.Healthy) pending.Add($"{registration.Name} ({result.Description ?? result.Status.ToString()})");
            }
            if (pending.Count == 0)
            {
                LogWarm(logger, (long)watch.Elapsed.TotalMilliseconds);
                return;
            }
            if (watch.Elapsed >= limit) break;
            // Wall-clock time on purpose: the wait is for real processes, whatever clock the gateway's logic runs on.
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
        LogCold(logger, limit.TotalSeconds, string.Join(", ", pending));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "ready after {Milliseconds} ms: routes, keys and registry loaded; listening")]
    private static partial void LogWarm(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "not ready after {Seconds} s ({Pending}); listening anyway with what is loaded (Gateway:WarmupTimeout)")]
    private static partial void LogCold(ILogger logger, double seconds, string pending);
}
