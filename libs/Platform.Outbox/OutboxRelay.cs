using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.EventBus.Producing;

namespace Platform.Outbox;

/// <summary>
/// Publishes committed outbox rows to Kafka in id order and marks them published. One relay per database is
/// active (advisory lock); others stand by. It sleeps on LISTEN until a writer's NOTIFY arrives, so it does not
/// poll. Delivery is at least once: a crash after publishing and before marking republishes those rows, which
/// consumers drop by CloudEvents id (or by resourceVersion).
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource db,
    IEventPublisher publisher,
    IOptions<OutboxRelayOptions> options,
    OutboxRelayState state,
    ILogger<OutboxRelay> logger,
    TimeProvider time) : BackgroundService
{
    private readonly OutboxRelayOptions _o = options.Value;
    private int _failures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or OutboxPublishException or TimeoutException or System.Net.Sockets.SocketException)
            {
                _failures++;
                state.Phase = "Failing";
                state.LastError = ex.Message;
                var delay = TimeSpan.FromMilliseconds(Math.Min(_o.MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(_failures, 10))));
                LogRelayFailed(logger, ex, delay.TotalMilliseconds);
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        // The listening connection also holds the advisory lock: if this process dies, Postgres drops both.
        await using var listen = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            await RunLockedAsync(listen, ct).ConfigureAwait(false);
        }
        finally
        {
            // A pooled connection keeps session locks until it is reused, so give the lock back explicitly;
            // otherwise this very relay would find it taken when it retries after an error.
            await ReleaseAsync(listen).ConfigureAwait(false);
        }
    }

    private async Task RunLockedAsync(NpgsqlConnection listen, CancellationToken ct)
    {
        while (!await TryLockAsync(listen, ct).ConfigureAwait(false))
        {
            state.Phase = "Standby";
            await Task.Delay(TimeSpan.FromSeconds(2), time, ct).ConfigureAwait(false);
        }
        await using (var cmd = new NpgsqlCommand($"LISTEN {OutboxSchema.Channel}", listen))
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        // Stay "Failing" (unready) after an error until a publish round succeeds again.
        if (_failures == 0) state.Phase = "Active";
        LogRelayActive(logger);
        var lastPurge = time.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            int count;
            do
            {
                count = await PublishBatchAsync(ct).ConfigureAwait(false);
            } while (count >= _o.BatchSize);

            if (time.GetElapsedTime(lastPurge) > TimeSpan.FromMinutes(1))
            {
                await PurgeAsync(ct).ConfigureAwait(false);
                lastPurge = time.GetTimestamp();
            }
            // Sleep until a commit notifies us (or the safety-net timer fires).
            await listen.WaitAsync(_o.IdleWakeup, ct).ConfigureAwait(false);
        }
    }

    private static async Task ReleaseAsync(NpgsqlConnection conn)
    {
        if (conn.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var cmd = new NpgsqlCommand("UNLISTEN *; SELECT pg_advisory_unlock_all()", conn);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The session is broken; Postgres releases its locks when it ends.
        }
    }

    private async Task<bool> TryLockAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = _o.LockKey });
        return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Publishes up to one batch of unpublished rows; returns how many rows it read.</summary>
    internal async Task<int> PublishBatchAsync(CancellationToken ct)
    {
        var rows = await OutboxReader.ReadUnpublishedAsync(db, _o.BatchSize, ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            Recovered();
            return 0;
        }

        var results = await publisher.PublishBatchAsync(rows.Select(r => (r.Topic, r.Event)).ToList(), ct).ConfigureAwait(false);
        // Keep per-key order: once a row of a key failed, later rows of that key stay unpublished too.
        var failedKeys = new HashSet<(string, string?)>();
        var done = new List<long>(rows.Count);
        Exception? firstError = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var key = (rows[i].Topic, rows[i].Event.Key);
            if (results[i] is { } error)
            {
                failedKeys.Add(key);
                firstError ??= error;
            }
            else if (!failedKeys.Contains(key))
            {
                done.Add(rows[i].Id);
            }
        }
        await OutboxReader.MarkPublishedAsync(db, done, ct).ConfigureAwait(false);
        state.AddPublished(done.Count);
        if (firstError is not null)
            throw new OutboxPublishException($"{rows.Count - done.Count} of {rows.Count} outbox events not published: {firstError.Message}", firstError);
        Recovered();
        return rows.Count;
    }

    private void Recovered()
    {
        _failures = 0;
        state.Phase = "Active";
        state.LastError = null;
    }

    private async Task PurgeAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"DELETE FROM {OutboxSchema.Table} WHERE published_at IS NOT NULL AND published_at < now() - $1::interval");
        cmd.Parameters.Add(new NpgsqlParameter { Value = _o.Retention });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "outbox relay active")]
    private static partial void LogRelayActive(ILogger logger);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "outbox relay failed; retrying in {DelayMs} ms")]
    private static partial void LogRelayFailed(ILogger logger, Exception ex, double delayMs);
}

public sealed class OutboxPublishException(string message, Exception inner) : Exception(message, inner);
