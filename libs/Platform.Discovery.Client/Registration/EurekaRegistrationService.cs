using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Discovery.Client.Configuration;
using Platform.Discovery.Client.Registry;
using Platform.Discovery.Client.Transport;

namespace Platform.Discovery.Client.Registration;

/// <summary>
/// Registers once the server listens, heartbeats every <c>leaseRenewalIntervalInSeconds</c>, registers again
/// when a heartbeat is answered 404 (the registry lost or evicted us), and deregisters on graceful shutdown.
/// </summary>
internal sealed partial class EurekaRegistrationService(
    EurekaHttpClient http, RegistrationInfoFactory infoFactory, EurekaRegistryCache cache, IHostApplicationLifetime lifetime,
    IOptions<EurekaClientOptions> client, IOptions<EurekaInstanceOptions> instance, TimeProvider time,
    ILogger<EurekaRegistrationService> logger) : BackgroundService
{
    private RegistrationInfo? _info;
    private bool _registered;

    /// <summary>What was registered (null before registration).</summary>
    public RegistrationInfo? Registered => _registered ? _info : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!client.Value.ShouldRegisterWithEureka) return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        _info = infoFactory.Create();
        var interval = TimeSpan.FromSeconds(instance.Value.LeaseRenewalIntervalInSeconds);
        try
        {
            await RegisterUntilDoneAsync(stoppingToken);
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var status = await http.RenewAsync(_info, stoppingToken);
                    if (status == HttpStatusCode.NotFound)
                    {
                        LogReRegistering(logger, _info.AppName, _info.InstanceId);
                        await RegisterUntilDoneAsync(stoppingToken);
                    }
                    else if (status != HttpStatusCode.OK) LogHeartbeatFailed(logger, $"status {(int)status}");
                }
                catch (HttpRequestException ex)
                {
                    LogHeartbeatFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_registered || _info is null) return;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var status = await http.CancelAsync(_info, timeout.Token);
            _registered = false;
            LogDeregistered(logger, _info.AppName, _info.InstanceId, (int)status);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogDeregisterFailed(logger, _info.AppName, _info.InstanceId, ex.Message);
        }
    }

    private async Task RegisterUntilDoneAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var status = await http.RegisterAsync(_info!, ct);
                if (status == HttpStatusCode.NoContent)
                {
                    _registered = true;
                    LogRegistered(logger, _info!.AppName, _info.InstanceId, _info.HostName, _info.Port);
                    await RefreshRegistryAsync(ct);
                    return;
                }
                LogRegisterFailed(logger, $"status {(int)status}");
            }
            catch (HttpRequestException ex)
            {
                LogRegisterFailed(logger, ex.Message);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(attempt, 7)))), time, ct);
        }
    }

    /// <summary>
    /// The first registry fetch ran before we were registered; fetch once more now so this instance (and whatever
    /// registered meanwhile) resolves at once instead of after a whole fetch interval.
    /// </summary>
    private async Task RefreshRegistryAsync(CancellationToken ct)
    {
        if (!client.Value.ShouldFetchRegistry) return;
        try
        {
            await cache.RefreshAsync(ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or FormatException or System.Text.Json.JsonException)
        {
            LogHeartbeatFailed(logger, "registry fetch after registration: " + ex.Message);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "registered {App}/{InstanceId} at {Host}:{Port}")]
    private static partial void LogRegistered(ILogger logger, string app, string instanceId, string host, int port);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "registration failed, retrying: {Reason}")]
    private static partial void LogRegisterFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "heartbeat failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "registry does not know {App}/{InstanceId}: registering again")]
    private static partial void LogReRegistering(ILogger logger, string app, string instanceId);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "deregistered {App}/{InstanceId} (status {Status})")]
    private static partial void LogDeregistered(ILogger logger, string app, string instanceId, int status);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "deregistering {App}/{InstanceId} failed: {Reason}")]
    private static partial void LogDeregisterFailed(ILogger logger, string app, string instanceId, string reason);
}
