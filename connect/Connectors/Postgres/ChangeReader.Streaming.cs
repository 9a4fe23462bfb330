using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using Platform.Connect.Api.Data;

namespace Platform.Connect.Connectors.Postgres;

/// <summary>Streaming: pgoutput messages to change events, skipping those a previous run already committed.</summary>
internal sealed partial class ChangeReader
{
    private readonly Lock _confirmLock = new();
    private LogicalReplicationConnection? _replication;
    private ulong _confirmed;

    private static readonly TimeSpan FeedbackInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Confirms the slot up to <paramref name="lsn"/>: the worker has committed every event before it. The position goes
    /// out with the connection's own periodic feedback (<see cref="FeedbackInterval"/>); writing a status update from this
    /// thread while the reader reads would interleave with that feedback on the wire.
    /// </summary>
    public void Confirm(ulong lsn)
    {
        lock (_confirmLock)
        {
            if (lsn <= _confirmed) return;
            _confirmed = lsn;
            _replication?.SetReplicationStatus(new NpgsqlLogSequenceNumber(lsn));
        }
    }

    private async Task StreamAsync(NpgsqlConnection catalog, ulong? start, CancellationToken cancellationToken)
    {
        var retries = settings.GetInt(PostgresCdcConfig.SlotMaxRetries);
        var delay = TimeSpan.FromMilliseconds(settings.GetLong(PostgresCdcConfig.SlotRetryDelay));
        for (var attempt = 0; ; attempt++)
        {
            await using var replication = new LogicalReplicationConnection(_connectionString) { WalReceiverStatusInterval = FeedbackInterval };
            await replication.Open(cancellationToken);
            try
            {
                lock (_confirmLock)
                {
                    if (_confirmed > 0) replication.SetReplicationStatus(new NpgsqlLogSequenceNumber(_confirmed));
                    _replication = replication;
                }
                await DecodeAsync(replication, catalog, start, cancellationToken);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse && attempt < retries)
            {
                // The slot is still held by a previous reader (a worker that was killed): wait for the server to let go.
                await Task.Delay(delay, cancellationToken);
            }
            finally
            {
                lock (_confirmLock) _replication = null;
            }
        }
    }

    private async Task DecodeAsync(LogicalReplicationConnection replication, NpgsqlConnection catalog, ulong? start, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<uint, TableSchema?>();
        uint xid = 0;
        ulong commitLsn = 0;
        long serial = 0, commitMs = 0;
        var options = new PgOutputReplicationOptions(_publication, PgOutputProtocolVersion.V1);
        var messages = replication.StartReplication(new PgOutputReplicationSlot(_slot), options, cancellationToken,
            start is { } s ? new NpgsqlLogSequenceNumber(s) : null);
        await foreach (var message in messages)
        {
            switch (message)
            {
                case BeginMessage begin:
                    xid = begin.TransactionXid;
                    commitLsn = (ulong)begin.TransactionFinalLsn;
                    commitMs = new DateTimeOffset(DateTime.SpecifyKind(begin.TransactionCommitTimestamp, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                    serial = 0;
                    break;
                case RelationMessage relation:
                    tables[relation.RelationId] = Captured(relation.Namespace, relation.RelationName)
                        ? await TableSchema.LoadAsync(catalog, relation.Namespace, relation.RelationName, _server, _decimalAsString, cancellationToken)
                        : null;
                    break;
                case InsertMessage insert:
                {
                    var after = await ReadAsync(insert.NewRow, insert.Relation, cancellationToken);
                    if (tables.GetValueOrDefault(insert.Relation.RelationId) is { } table)
                        await EmitAsync(table, "c", null, table.Row(after), message.WalStart, ++serial);
                    break;
                }
                case UpdateMessage update:
                {
                    // REPLICA IDENTITY FULL sends the old row; a changed key sends the old key; otherwise before is null.
                    var old = update switch
                    {
                        FullUpdateMessage full => await ReadAsync(full.OldRow, update.Relation, cancellationToken),
                        IndexUpdateMessage index => await ReadAsync(index.Key, update.Relation, cancellationToken),
                        _ => null,
                    };
                    var after = await ReadAsync(update.NewRow, update.Relation, cancellationToken);
                    if (tables.GetValueOrDefault(update.Relation.RelationId) is { } table)
                        await EmitAsync(table, "u", old is null ? null : table.Row(old), table.Row(after), message.WalStart, ++serial);
                    break;
                }
                case DeleteMessage delete:
                {
                    var old = delete switch
                    {
                        FullDeleteMessage full => await ReadAsync(full.OldRow, delete.Relation, cancellationToken),
                        KeyDeleteMessage key => await ReadAsync(key.Key, delete.Relation, cancellationToken),
                        _ => [],
                    };
                    if (tables.GetValueOrDefault(delete.Relation.RelationId) is { } table)
                        await EmitAsync(table, "d", table.Row(old), null, message.WalStart, ++serial);
                    break;
                }
            }
        }

        ValueTask EmitAsync(TableSchema table, string op, ConnectStruct? before, ConnectStruct? after, NpgsqlLogSequenceNumber lsn, long eventSerial)
        {
            if (resume?.Covers(commitLsn, eventSerial) == true) return ValueTask.CompletedTask;
            var offset = new CdcOffset((ulong)lsn, commitLsn, eventSerial, xid, commitMs * 1000, Snapshot: false, LastSnapshotRecord: false);
            var value = DebeziumEnvelope.Value(table, op, before, after, _server, _db, "false", commitMs, xid, (ulong)lsn, _version);
            var key = table.Key(after ?? before!);
            var record = Record(table, key, value, offset, CdcPosition.Change(commitLsn, eventSerial, tombstone: false));
            SourceRecord[] records = op == "d" && _tombstones
                ? [record, Record(table, key, null, offset, CdcPosition.Change(commitLsn, eventSerial, tombstone: true))]
                : [record];
            return WriteAsync(records, cancellationToken);
        }
    }

    private static async Task<Dictionary<string, string?>> ReadAsync(ReplicationTuple tuple, RelationMessage relation, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, string?>();
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            var name = relation.Columns[i++].ColumnName;
            if (value.IsDBNull) texts[name] = null;
            else if (value.IsUnchangedToastedValue) texts[name] = PgValues.Unavailable;
            else
            {
                using var reader = value.GetTextReader();
                texts[name] = await reader.ReadToEndAsync(cancellationToken);
            }
        }
        return texts;
    }
}
