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
    private const string Notify = $"SELECT pg_notify('{OutboxSchema.Channel}', '')";

    public static Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string topic, PlatformEvent e, CancellationToken ct = default) =>
        AppendManyAsync(conn, tx, [(topic, e)], ct);

    public static async Task AppendManyAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        IReadOnlyCollection<(string Topic, PlatformEvent Event)> events, CancellationToken ct = default)
    {
        if (events.Count == 0) return;
        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var (topic, e) in events) batch.BatchCommands.Add(InsertCommand(topic, e));
        batch.BatchCommands.Add(NotifyCommand());
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The insert of one event as a batch command, for writers that send it in the same round trip as their own
    /// statements. <paramref name="dataSql"/> and <paramref name="extensionsSql"/>, when given, are SQL expressions
    /// (bytea, jsonb) stored instead of the event's data and extensions, for values that exist only inside the
    /// statement batch (a sequence value drawn earlier in it); in them <c>$9</c> is the event's data, <c>$10</c> its
    /// extensions (jsonb, NULL when empty) and <c>$11</c>... the <paramref name="extra"/> parameters.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(string topic, PlatformEvent e, string? dataSql = null, string? extensionsSql = null,
        params NpgsqlParameter[] extra)
    {
        var cmd = new NpgsqlBatchCommand($"""
            INSERT INTO {OutboxSchema.Table} (topic, message_key, event_id, source, type, subject, event_time, content_type, data, extensions)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {dataSql ?? "$9"}, {extensionsSql ?? "$10"})
            """);
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
        foreach (var p in extra) cmd.Parameters.Add(p);
        return cmd;
    }

    /// <summary>The NOTIFY that wakes the relay at commit; once per transaction is enough (Postgres folds duplicates).</summary>
    public static NpgsqlBatchCommand NotifyCommand() => new(Notify);
}
