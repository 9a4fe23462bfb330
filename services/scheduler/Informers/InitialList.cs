using Microsoft.Extensions.Logging;
using Platform.Contracts.Resources;

namespace Platform.Scheduler.Informers;

/// <summary>Lists nodes and pods once at start (retrying with back-off until the apiserver answers), then Kafka takes over.</summary>
internal sealed partial class InitialList(ApiClient api, ClusterEvents events, TimeProvider time, ILogger<InitialList> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                var (nodes, nodeVersion) = await api.ListAsync<Node>("/api/v1/nodes", stoppingToken);
                var (pods, podVersion) = await api.ListAsync<Pod>("/api/v1/pods", stoppingToken);
                events.Sync(nodes, nodeVersion, pods, podVersion);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !stoppingToken.IsCancellationRequested))
            {
                LogListFailed(logger, ex, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "listing nodes and pods from the apiserver failed; retrying in {Seconds}s")]
    private static partial void LogListFailed(ILogger logger, Exception ex, double seconds);
}
