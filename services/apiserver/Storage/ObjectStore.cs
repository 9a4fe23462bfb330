using System.Data;
using System.Text;
using Npgsql;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

/// <summary>Postgres access for objects: reads here, writes through a <see cref="WriteSession"/>.</summary>
internal sealed class ObjectStore(NpgsqlDataSource db, SecretData secrets, ChangeLog log, ChangeNotifier notifier, GroupCommitter groups)
{
    private const string Columns = "namespace, name, uid, resource_version, body, secret_data";

    /// <summary>
    /// Write transactions of this process that may be open in Postgres at once; more wait here, in order. Every write
    /// queues for the one resourceVersion lock, and Postgres hands a heavyweight lock over ever more slowly as its wait
    /// queue grows (lock-manager contention): with hundreds of writers queued, a short hiccup (an autovacuum finishing,
    /// a busy CPU) cut throughput below the offered rate and the queue never drained. Waiting here costs nothing, and
    /// 16 keeps both cores busy (the reads and checks before the lock overlap).
    /// </summary>
    internal const int MaxConcurrentWrites = 16;
    private readonly SemaphoreSlim _writers = new(MaxConcurrentWrites, MaxConcurrentWrites);

    /// <summary>
    /// Starts a write transaction; disposing the session ends it and lets the next writer in. With <paramref name="grouped"/>
    /// its committing write may share a group transaction (<see cref="GroupCommitter"/>): for the handlers of single-object
    /// writes, on their first attempt (a retry after the object changed under a grouped write queues on its row lock instead).
    /// </summary>
    public async Task<WriteSession> BeginAsync(CancellationToken ct, bool grouped = false)
    {
        await _writers.WaitAsync(ct);
        NpgsqlConnection? conn = null;
        try
        {
            conn = await db.OpenConnectionAsync(ct);
            var tx = await conn.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
            return new WriteSession(conn, tx, secrets, log, notifier, _writers, grouped ? groups : null);
        }
        catch
        {
            if (conn is not null) await conn.DisposeAsync();
            _writers.Release();
            throw;
        }
    }

    public async Task<StoredObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await ReadOneAsync(conn, null, secrets, kind, ns, name, forUpdate: false, ct);
    }

    /// <summary>
    /// Objects of <paramref name="kind"/> (in <paramref name="ns"/>, or all namespaces when null) matching the selectors,
    /// and the resourceVersion the list is consistent with, read in one snapshot.
    /// </summary>
    public async Task<(List<StoredObject> Items, long ResourceVersion)> ListAsync(ResourceKind kind, string? ns, Selector labels, FieldSelector fields, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        long rv;
        await using (var v = new NpgsqlCommand($"SELECT coalesce(max(resource_version), 0) FROM {Schema.Changes}", conn, tx))
            rv = (long)(await v.ExecuteScalarAsync(ct))!;
        await using var cmd = new NpgsqlCommand { Connection = conn, Transaction = tx };
        var sql = new StringBuilder($"SELECT {Columns} FROM {Schema.Objects} WHERE kind = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        if (ns is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
            sql.Append(" AND namespace = $2");
        }
        SelectorSql.Append(sql, cmd, labels, fields);
        sql.Append(" ORDER BY namespace, name");
        cmd.CommandText = sql.ToString();
        var items = await ReadAllAsync(cmd, secrets, ct);
        await tx.CommitAsync(ct);
        return (items, rv);
    }

    internal static async Task<StoredObject?> ReadOneAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, SecretData secrets, ResourceKind kind, string ns, string name, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 AND name = $3{(forUpdate ? " FOR UPDATE" : "")}", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        var list = await ReadAllAsync(cmd, secrets, ct);
        return list.Count == 0 ? null : list[0];
    }

    internal static async Task<List<StoredObject>> ReadAllAsync(NpgsqlCommand cmd, SecretData secrets, CancellationToken ct)
    {
        var list = new List<StoredObject>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(Read(reader, secrets));
        return list;
    }

    internal static StoredObject Read(NpgsqlDataReader reader, SecretData secrets)
    {
        var ns = reader.GetString(0);
        var name = reader.GetString(1);
        var json = reader.GetString(4);
        if (!reader.IsDBNull(5)) json = secrets.Merge(json, reader.GetFieldValue<byte[]>(5), ns, name);
        return new StoredObject(ns, name, reader.GetGuid(2), reader.GetInt64(3), json);
    }
}
