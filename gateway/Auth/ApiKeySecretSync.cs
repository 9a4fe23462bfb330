using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth;

/// <summary>Loads every API-key Secret at start (retrying until the apiserver answers); changes then arrive as events.</summary>
internal sealed partial class ApiKeySecretSync(ApiKeySecretClient client, ApiKeyStore store, IOptions<AuthOptions> options,
    ILogger<ApiKeySecretSync> logger, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ApiKeySecrets.ApiServerUrl)) return;
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var keys = await client.ListAsync(stoppingToken).ConfigureAwait(false);
                store.ReplaceSecretKeys(keys);
                LogLoaded(logger, keys.Count);
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
    }

    [LoggerMessage(EventId = 9401, Level = LogLevel.Information, Message = "loaded {Count} API keys from apiserver Secrets")]
    private static partial void LogLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 9402, Level = LogLevel.Warning, Message = "listing API-key Secrets failed; retrying")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
