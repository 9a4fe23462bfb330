using Platform.ServiceDefaults;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Platform.Scheduler.Leader;

/// <summary>
/// The leader lease is a session-level Postgres advisory lock on a dedicated connection (no pooling, so closing
/// really ends the session). When the leader dies, even by kill -9, its connection closes, Postgres releases the
/// lock and a standby's next try (every <see cref="LeaderElectionOptions.RetryPeriod"/>) wins. A leader that loses
/// its connection stops the host, as kube-scheduler exits on a lost lease: two leaders never schedule at once, and
/// the apiserver's 409 on binding a bound pod covers the moment in between.
/// </summary>
internal sealed partial class LeaderElector(LeaderElectionOptions options, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<LeaderElector> logger)
    : BackgroundService, ILeaderGate
{
    /// <summary>The election's name in <c>leader_election_master_status</c>.</summary>
    public const string Name = "platform-scheduler";
    private readonly TaskCompletionSource _leader = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLeader => _leader.Task.IsCompleted;

    public Task WaitForLeadershipAsync(CancellationToken cancellationToken) => _leader.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            _leader.TrySetResult();
            return;
        }
        LeaderElectionStatus.Set(Name, false);
        var cs = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false, ApplicationName = "platform-scheduler", KeepAlive = 1 }.ConnectionString;
        await using var conn = await AcquireAsync(cs, stoppingToken);
        LogLeading(logger, options.LockKey);
        _leader.TrySetResult();
        LeaderElectionStatus.Set(Name, true);
        try
        {
            while (true)
            {
                await Task.Delay(options.RetryPeriod, time, stoppingToken);
                await using var check = new NpgsqlCommand("SELECT 1", conn);
                await check.ExecuteScalarAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException && !stoppingToken.IsCancellationRequested)
        {
            LogLost(logger, ex);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    private async Task<NpgsqlConnection> AcquireAsync(string cs, CancellationToken ct)
    {
        var announced = false;
        while (true)
        {
            var conn = new NpgsqlConnection(cs);
            try
            {
                await conn.OpenAsync(ct);
                while (true)
                {
                    await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", conn);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = options.LockKey });
                    if (await cmd.ExecuteScalarAsync(ct) is true) return conn;
                    if (!announced) LogStandby(logger, options.LockKey);
                    announced = true;
                    await Task.Delay(options.RetryPeriod, time, ct);
                }
            }
            catch (NpgsqlException ex)
            {
                await conn.DisposeAsync();
                LogConnectFailed(logger, ex);
                await Task.Delay(options.RetryPeriod, time, ct);
            }
            catch
            {
                await conn.DisposeAsync();
                throw;
            }
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "leader lease taken (advisory lock {LockKey}): this scheduler is active")]
    private static partial void LogLeading(ILogger logger, long lockKey);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "another scheduler holds the leader lease (advisory lock {LockKey}); standing by")]
    private static partial void LogStandby(ILogger logger, long lockKey);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Critical, Message = "leader lease lost; stopping so a standby takes over")]
    private static partial void LogLost(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "cannot reach Postgres for the leader lease; retrying")]
    private static partial void LogConnectFailed(ILogger logger, Exception ex);
}
