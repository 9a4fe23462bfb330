using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ApiServer.Storage;

namespace Platform.ApiServer.Watch;

/// <summary>
/// Drops watch history older than <c>ApiServer:WatchHistoryRetention</c> and records the newest dropped
/// resourceVersion, so a watch from before it gets 410 Gone instead of silently missing changes.
/// </summary>
internal sealed partial class HistoryCompactor(NpgsqlDataSource db, IOptions<ApiServerOptions> options, TimeProvider time, ILogger<HistoryCompactor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var removed = await CompactAsync(options.Value.WatchHistoryRetention, stoppingToken);
                if (removed > 0) LogCompacted(logger, removed);
            }
            catch (NpgsqlException ex)
            {
                // The next tick retries; history only grows meanwhile.
                LogFailed(logger, ex);
            }
        }
    }

    internal async Task<int> CompactAsync(TimeSpan retention, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"""
            WITH d AS (DELETE FROM {Schema.Changes} WHERE at < now() - $1::interval RETURNING resource_version)
            INSERT INTO {Schema.Compaction} (id, compacted_through) SELECT 1, max(resource_version) FROM d HAVING count(*) > 0
            ON CONFLICT (id) DO UPDATE SET compacted_through = GREATEST({Schema.Compaction}.compacted_through, excluded.compacted_through)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = retention });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "watch history compacted: {Removed} changes dropped")]
    private static partial void LogCompacted(ILogger logger, int removed);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "watch history compaction failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
