using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.EventBus.CloudEvents;

namespace Platform.Outbox;

/// <summary>
/// Writes events into the outbox inside the caller's transaction: they are published if and only if the
/// transaction commits. The NOTIFY that wakes the relay is delivered by Postgres on commit, never before.
/// </summary>
public static class OutboxWriter
{
    private const string Insert = $"""
        INSERT INTO {OutboxSchema.Table} (topic, message_key, event_id, source, type, subject, event_time, content_type, data, extensions)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """;
    private const string Notify = $"SELECT pg_notify('{OutboxSchema.Channel}', '')";

    public static Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string topic, PlatformEvent e, CancellationToken ct = default) =>
        AppendManyAsync(conn, tx, [(topic, e)], ct);

    public static async Task AppendManyAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        IReadOnlyCollection<(string Topic, PlatformEvent Event)> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return;
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var (topic, e) in events)
        {
            var cmd = new NpgsqlBatchCommand(Insert);
            cmd.Parameters.Add(new NpgsqlParameter { Value = topic });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Key ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Id });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Source });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Type });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Subject ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Time.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.DataContentType });
            cmd.Parameters.Add(new NpgsqlParameter { Value = e.Data.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
            cmd.Parameters.Add(new NpgsqlParameter
            {
                Value = e.Extensions.Count == 0 ? DBNull.Value : JsonSerializer.Serialize(e.Extensions),
                NpgsqlDbType = NpgsqlDbType.Jsonb,
            });
            batch.BatchCommands.Add(cmd);
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Notify));
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
