using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Platform.EventBus.CloudEvents;

namespace Platform.Outbox;

internal sealed record OutboxRow(long Id, string Topic, PlatformEvent Event);

internal static class OutboxReader
{
    private const string Select = $"""
        SELECT id, topic, message_key, event_id, source, type, subject, event_time, content_type, data, extensions
        FROM {OutboxSchema.Table} WHERE published_at IS NULL ORDER BY id LIMIT $1
        """;

    public static async Task<List<OutboxRow>> ReadUnpublishedAsync(NpgsqlDataSource db, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Select);
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var extensions = reader.IsDBNull(10)
                ? null
                : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(10));
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), new PlatformEvent
            {
                Key = reader.IsDBNull(2) ? null : reader.GetString(2),
                Id = reader.GetString(3),
                Source = reader.GetString(4),
                Type = reader.GetString(5),
                Subject = reader.IsDBNull(6) ? null : reader.GetString(6),
                Time = reader.GetFieldValue<DateTimeOffset>(7),
                DataContentType = reader.GetString(8),
                Data = reader.GetFieldValue<byte[]>(9),
                Extensions = extensions ?? new Dictionary<string, string>(),
            }));
        }
        return rows;
    }

    public static async Task MarkPublishedAsync(NpgsqlDataSource db, List<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var conn = await db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        // No need to wait for the WAL flush here: losing this mark in a crash only means the rows are published
        // again, which at-least-once delivery already allows; it saves a disk sync per round on the hot path.
        await using (var off = new NpgsqlCommand("SET LOCAL synchronous_commit = off", conn, tx))
            await off.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"UPDATE {OutboxSchema.Table} SET published_at = now() WHERE id = ANY($1)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }
}
