using Platform.ServiceDefaults;
using System.Security.Cryptography;
using Platform.ControllerManager.Informers;

namespace Platform.ControllerManager.Leader;

/// <summary>
/// client-go's <c>leaderelection.LeaderElector</c>: try to acquire the Lease every <c>RetryPeriod</c>; once held,
/// start the leader-scoped controllers and renew every <c>RetryPeriod</c>; when no renewal succeeded within
/// <c>RenewDeadline</c>, stop the controllers and go back to standing by (a standby takes over once the lease, not
/// renewed for <c>LeaseDuration</c>, expires). On shutdown the controllers stop first and the lease is released so a
/// standby need not wait for it to expire. With election off the controllers simply run.
/// </summary>
internal sealed partial class LeaderElector(
    ClusterInformers informers, LeaseLock lease, LeaderElectionOptions options, IEnumerable<LeaderScoped> controllers, TimeProvider time, ILogger<LeaderElector> log) : BackgroundService
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private volatile bool _leading;

    public bool IsLeader => _leading;
    public bool Enabled => options.Enabled;
    public string Identity => lease.Identity;
    public string? ObservedHolder => lease.ObservedHolder;
    public string LeaseName => $"{options.LeaseNamespace}/{options.LeaseName}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A replica with cold caches does not campaign: as leader it would act on a partial view of the cluster.
        await informers.WaitForSyncAsync(stoppingToken);
        if (!options.Enabled)
        {
            await RunControllersAsync(() => Task.Delay(Timeout.InfiniteTimeSpan, time, stoppingToken), stoppingToken);
            return;
        }
        LeaderElectionStatus.Set(options.LeaseName, false);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await AcquireAsync(stoppingToken)) return;
            LogLeading(LeaseName, Identity);
            await RunControllersAsync(() => RenewAsync(stoppingToken), stoppingToken);
            if (stoppingToken.IsCancellationRequested) break;
            LogLost(LeaseName, Identity, options.RenewDeadline);
        }
        using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
        try
        {
            await lease.ReleaseAsync(release.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogReleaseFailed(LeaseName, ex.Message);
        }
    }

    /// <summary>Starts the controllers, waits for <paramref name="term"/> to end (leadership lost or shutdown), stops them.</summary>
    private async Task RunControllersAsync(Func<Task> term, CancellationToken stoppingToken)
    {
        foreach (var c in controllers) await c.Service.StartAsync(stoppingToken);
        _leading = true;
        LeaderElectionStatus.Set(options.LeaseName, true);
        try
        {
            // A controller that crashes must not go unnoticed: its exception ends this service, which stops the host.
            var ended = term();
            var running = controllers.Select(c => c.Service.ExecuteTask).OfType<Task>().ToList();
            while (true)
            {
                var first = await Task.WhenAny([ended, .. running]);
                await first;
                if (first == ended) break;
                running.Remove(first);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
            LeaderElectionStatus.Set(options.LeaseName, false);
            using var stop = new CancellationTokenSource(StopTimeout, time);
            foreach (var c in controllers) await c.Service.StopAsync(stop.Token);
        }
    }

    /// <summary>Tries every retry period until the lease is held; false on shutdown.</summary>
    private async Task<bool> AcquireAsync(CancellationToken ct)
    {
        string? announced = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await lease.TryAcquireOrRenewAsync(ct)) return true;
                if (lease.ObservedHolder is { } holder && holder != announced) LogStandby(LeaseName, holder);
                announced = lease.ObservedHolder;
            }
            catch (HttpRequestException ex)
            {
                LogAttemptFailed(LeaseName, ex.Message);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }
            try
            {
                await Task.Delay(Jittered(options.RetryPeriod), time, ct);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Renews every retry period; returns when a whole renew deadline passed without a successful renewal.</summary>
    private async Task RenewAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            using var deadline = new CancellationTokenSource(options.RenewDeadline, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
            var renewed = false;
            while (!renewed && !linked.IsCancellationRequested)
            {
                try
                {
                    renewed = await lease.TryAcquireOrRenewAsync(linked.Token);
                    if (!renewed) await Task.Delay(options.RetryPeriod, time, linked.Token);
                }
                catch (HttpRequestException ex)
                {
                    LogAttemptFailed(LeaseName, ex.Message);
                    await DelayQuietlyAsync(options.RetryPeriod, linked.Token);
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                }
            }
            stoppingToken.ThrowIfCancellationRequested();
            if (!renewed) return;
            await Task.Delay(options.RetryPeriod, time, stoppingToken);
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
            // The deadline or shutdown ended the wait; the caller's loop decides what that means.
        }
    }

    /// <summary>Spreads standbys' attempts so they do not all hit the apiserver in the same instant.</summary>
    private static TimeSpan Jittered(TimeSpan period) => period + period * (RandomNumberGenerator.GetInt32(200) / 1000.0);

    /// <summary>client-go's default identity: the host name, '_' and a random id, unique per process.</summary>
    public static string NewIdentity() => $"{Environment.MachineName.ToLowerInvariant()}_{Guid.NewGuid():N}";

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "leader lease {Lease} acquired by {Identity}: running the controllers")]
    private partial void LogLeading(string lease, string identity);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "leader lease {Lease} is held by {Holder}; standing by")]
    private partial void LogStandby(string lease, string holder);

    [LoggerMessage(EventId = 62, Level = LogLevel.Error, Message = "leader lease {Lease} lost by {Identity} (not renewed within {Deadline}): controllers stopped, standing by")]
    private partial void LogLost(string lease, string identity, TimeSpan deadline);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "leader election on {Lease}: the apiserver failed: {Error}")]
    private partial void LogAttemptFailed(string lease, string error);

    [LoggerMessage(EventId = 64, Level = LogLevel.Warning, Message = "releasing leader lease {Lease} failed: {Error}")]
    private partial void LogReleaseFailed(string lease, string error);
}
