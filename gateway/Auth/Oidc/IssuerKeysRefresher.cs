using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Platform.Gateway.Auth.Oidc;

/// <summary>
/// Loads the issuer's keys at start and again every <c>Gateway:Auth:Jwt:JwksRefreshInterval</c>; while they cannot be
/// loaded, retries every <c>JwksMinRefreshInterval</c>. An issuer that is down never stops the gateway: requests needing
/// its keys answer 503 until it is back.
/// </summary>
internal sealed partial class IssuerKeysRefresher(IssuerKeys keys, IOptions<AuthOptions> options, TimeProvider time, ILogger<IssuerKeysRefresher> logger) : BackgroundService
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
            var jwt = options.Value.Jwt;
            await Task.Delay(failing ? jwt.JwksMinRefreshInterval : jwt.JwksRefreshInterval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 9711, Level = LogLevel.Warning, Message = "{Error}; JwtAuthentication answers 503 until they load (keys held before are kept)")]
    private static partial void LogRefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9712, Level = LogLevel.Information, Message = "the issuer's keys loaded again")]
    private static partial void LogRecovered(ILogger logger);
}
