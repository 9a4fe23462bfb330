using Npgsql;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>The snapshot: every captured row as an op <c>r</c> event, read in the slot's exported snapshot.</summary>
internal sealed partial class ChangeReader
{
    /// <summary>A transaction that sees the database exactly as the slot's consistent point does.</summary>
    private async Task<NpgsqlConnection> ImportSnapshotAsync(string snapshotName, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Text forms as pgoutput writes them: ISO dates, offsets in UTC.
        await using var cmd = new NpgsqlCommand(
            $"SET DateStyle = ISO; SET TimeZone = 'UTC'; BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '{snapshotName.Replace("'", "''", StringComparison.Ordinal)}'",
            connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task SnapshotAsync(NpgsqlConnection snapshot, NpgsqlConnection catalog, List<(string Schema, string Table)> tables, ulong lsn,
        CancellationToken cancellationToken)
    {
        // One event is held back, so the last one can say so (last_snapshot_record, source.snapshot=last).
        (TableSchema Table, ConnectStruct Row)? held = null;
        long rows = 0;
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (schema, name) in tables)
        {
            var table = await TableSchema.LoadAsync(catalog, schema, name, _server, _decimalAsString, cancellationToken);
            var columns = string.Join(", ", table.Columns.Select(c => Quote(c.Name) + "::text"));
            await using var cmd = new NpgsqlCommand($"SELECT {columns} FROM {Quote(schema)}.{Quote(name)}", snapshot);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var texts = new Dictionary<string, string?>();
                for (var i = 0; i < table.Columns.Count; i++) texts[table.Columns[i].Name] = reader.IsDBNull(i) ? null : reader.GetString(i);
                if (held is { } h) await WriteSnapshotAsync(h.Table, h.Row, lsn, ++rows, ts, last: false, cancellationToken);
                held = (table, table.Row(texts));
            }
        }
        if (held is { } final) await WriteSnapshotAsync(final.Table, final.Row, lsn, ++rows, ts, last: true, cancellationToken);
        await using var commit = new NpgsqlCommand("COMMIT", snapshot);
        await commit.ExecuteNonQueryAsync(cancellationToken);
    }

    private ValueTask WriteSnapshotAsync(TableSchema table, ConnectStruct row, ulong lsn, long index, long ts, bool last, CancellationToken cancellationToken)
    {
        var offset = new CdcOffset(lsn, null, 0, null, ts * 1000, Snapshot: true, LastSnapshotRecord: last);
        var value = DebeziumEnvelope.Value(table, "r", null, row, _server, _db, last ? "last" : "true", ts, null, lsn, _version);
        return WriteAsync([Record(table, table.Key(row), value, offset, CdcPosition.Snapshot(lsn, index))], cancellationToken);
    }

    private SourceRecord Record(TableSchema table, ConnectStruct? key, ConnectStruct? value, CdcOffset offset, CdcPosition position) =>
        new(_partition, offset.ToMap(), table.Topic, null, key is null ? null : table.KeySchema, key, value is null ? null : table.EnvelopeSchema, value)
        {
            Headers = new Dictionary<string, byte[]?> { [CdcPosition.Header] = position.ToBytes() },
        };

    /// <summary>Hands the worker the records a previous run did not already put in Kafka.</summary>
    private ValueTask WriteAsync(SourceRecord[] records, CancellationToken cancellationToken)
    {
        SourceRecord[] fresh = [.. records.Where(r => !_published.Published(r.Topic, CdcPosition.Parse(r.Headers[CdcPosition.Header])!.Value))];
        if (fresh.Length == 0) return ValueTask.CompletedTask;
        if (_published.Skipped > _reportedSkips)
        {
            context.LogDebug($"skipped {_published.Skipped - _reportedSkips} records a previous run had already put in Kafka; " +
                $"producing again from {fresh[0].Topic} at {CdcPosition.Parse(fresh[0].Headers[CdcPosition.Header])}");
            _reportedSkips = _published.Skipped;
        }
        return events.WriteAsync(fresh, cancellationToken);
    }
}
