using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Oidc;

/// <summary>
/// Loads an issuer's keys at start and again every <see cref="IssuerKeysSettings.RefreshInterval"/>; while they cannot
/// be loaded, retries every <see cref="IssuerKeysSettings.MinRefreshInterval"/>. An issuer that is down never stops the
/// host: only tokens of that issuer are refused until it is back.
/// </summary>
public sealed partial class IssuerKeysRefresher(IssuerKeys keys, TimeProvider time, ILogger<IssuerKeysRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!keys.Configured) return;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var error = await keys.RefreshAsync(stoppingToken).ConfigureAwait(false);
            if (error is not null) LogRefreshFailed(logger, error);
            else if (failing) LogRecovered(logger);
            failing = error is not null;
            var s = keys.Settings;
            await Task.Delay(failing ? s.MinRefreshInterval : s.RefreshInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 9711, Level = LogLevel.Warning, Message = "{Error}; tokens of this issuer are refused until they load (keys held before are kept)")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9712, Level = LogLevel.Information, Message = "the issuer's keys loaded again")]
    private static partial void LogRecovered(ILogger logger);
}
