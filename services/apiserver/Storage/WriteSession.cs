using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Contracts.Resources;
using Platform.Outbox;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Storage;

/// <summary>
/// One write transaction. Rows read here are locked (FOR UPDATE) so concurrent writers of one object queue
/// up and the loser sees the new resourceVersion. Assigning a resourceVersion takes a transaction-scoped
/// advisory lock held until commit: commits become visible in resourceVersion order, which is what lets a
/// list's resourceVersion be a safe starting point for a watch (as etcd's revision is).
/// </summary>
internal sealed partial class WriteSession(NpgsqlConnection conn, NpgsqlTransaction tx, SecretData secrets, ChangeLog log, ChangeNotifier notifier, SemaphoreSlim writers) : IAsyncDisposable
{
    private const long VersionLock = 7070001;
    private bool _locked;
    private bool _wrote;
    private bool _committed;
    private int _disposed;

    public Task<StoredObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken ct) =>
        ObjectStore.ReadOneAsync(conn, tx, secrets, kind, ns, name, forUpdate: true, ct);

    /// <summary>Every object of <paramref name="kind"/> in <paramref name="ns"/>, locked when <paramref name="forUpdate"/>.</summary>
    public async Task<List<StoredObject>> ListAsync(ResourceKind kind, string ns, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT namespace, name, uid, resource_version, body, secret_data FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 ORDER BY name{(forUpdate ? " FOR UPDATE" : "")}", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        return await ObjectStore.ReadAllAsync(cmd, secrets, ct);
    }

    /// <summary>A command in this session's transaction, for the rows written with an object (a Service's cluster IP and node ports).</summary>
    public NpgsqlCommand Command(string sql) => new(sql, conn, tx);

    /// <summary>How many objects of <paramref name="kind"/> <paramref name="ns"/> holds (not locked).</summary>
    public async Task<long> CountAsync(ResourceKind kind, string ns, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>, locked.</summary>
    public Task<List<(ResourceKind Kind, StoredObject Object)>> ListDependentsAsync(Guid ownerUid, CancellationToken ct) =>
        ListKindsAsync("owner_uids @> ARRAY[$1]::uuid[]", ownerUid, ct);

    /// <summary>Every object in namespace <paramref name="ns"/>, locked.</summary>
    public Task<List<(ResourceKind Kind, StoredObject Object)>> ListNamespaceAsync(string ns, CancellationToken ct) =>
        ListKindsAsync("namespace = $1", ns, ct);

    private async Task<List<(ResourceKind, StoredObject)>> ListKindsAsync(string where, object arg, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT namespace, name, uid, resource_version, body, secret_data, kind FROM {Schema.Objects} WHERE {where} ORDER BY kind, name FOR UPDATE", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        var list = new List<(ResourceKind, StoredObject)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var kind = ResourceKinds.All.First(k => k.Kind == reader.GetString(6));
            list.Add((kind, ObjectStore.Read(reader, secrets)));
        }
        return list;
    }

    /// <summary>
    /// Inserts a new object. <paramref name="requires"/> (its namespace, a pod's node) must exist; it is checked after
    /// the resourceVersion lock is taken, when a concurrent deletion has either committed or not started, so no row
    /// lock on the shared parent is needed (key-share locks on one namespace row from many writers are costly).
    /// </summary>
    public Task<StoredObject> InsertAsync(ResourceKind kind, JsonObject body, CancellationToken ct, (ResourceKind Kind, string Name)? requires = null, bool commit = false) =>
        WriteAsync(kind, body, ChangeType.Created, requires, commit, ct);

    /// <summary>
    /// Writes the object. With <paramref name="commit"/> the transaction commits in the same round trip, and the session
    /// is finished: see <see cref="WriteAsync"/>.
    /// </summary>
    public Task<StoredObject> UpdateAsync(ResourceKind kind, JsonObject body, CancellationToken ct, (ResourceKind Kind, string Name)? requires = null, bool commit = false) =>
        WriteAsync(kind, body, ChangeType.Updated, requires, commit, ct);

    public Task<StoredObject> DeleteAsync(ResourceKind kind, JsonObject body, CancellationToken ct, bool commit = false) =>
        WriteAsync(kind, body, ChangeType.Deleted, null, commit, ct);

    /// <summary>
    /// One round trip: [resourceVersion lock +] nextval, the parent check, the row, the history row, the outbox event and
    /// its NOTIFY[, COMMIT]. With <paramref name="commit"/> the lock is taken and released inside that one batch, so the
    /// section every writer queues for runs entirely in Postgres: no wait for this process (its thread pool, a GC
    /// pause, a busy CPU) while holding the lock, which under load turned small hiccups into stalls of every writer.
    /// A failed check raises an error in SQL, so the statements after it, COMMIT included, are skipped.
    /// </summary>
    private async Task<StoredObject> WriteAsync(ResourceKind kind, JsonObject body, ChangeType type, (ResourceKind Kind, string Name)? requires, bool commit, CancellationToken ct)
    {
        if (_committed) throw new InvalidOperationException("the write session has already committed");
        await using var batch = new NpgsqlBatch(conn, tx);
        var pending = AddWrite(batch, kind, body, type, requires);
        batch.BatchCommands.Add(OutboxWriter.NotifyCommand());
        if (commit) batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        long rv;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            rv = reader.GetInt64(0);
            while (await reader.NextResultAsync(ct)) { }
        }
        catch (PostgresException ex) when (ex.SqlState is Schema.ParentMissing or Schema.RowMissed)
        {
            throw WriteProblem(ex, pending);
        }
        _locked = true;
        _wrote = true;
        if (commit) Committed();
        return pending.Stored(rv);
    }

    /// <summary>A write's statements queued in a batch, and how to finish its object once the resourceVersion is known.</summary>
    private sealed record PendingWrite(ResourceKind Kind, string Namespace, string Name, Guid Uid, ChangeType Type, (ResourceKind Kind, string Name)? Requires,
        JsonObject Metadata, string Placeholder, string Full)
    {
        public StoredObject Stored(long rv)
        {
            var version = rv.ToString(CultureInfo.InvariantCulture);
            Metadata["resourceVersion"] = version;
            return new StoredObject(Namespace, Name, Uid, rv, Full.Replace(Placeholder, "\"" + version + "\"", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Queues [resourceVersion lock +] nextval (the batch's next result is the drawn version), the parent check, the
    /// row, the history row and the outbox event. The version lock is taken by the first write of the session only.
    /// </summary>
    private PendingWrite AddWrite(NpgsqlBatch batch, ResourceKind kind, JsonObject body, ChangeType type, (ResourceKind Kind, string Name)? requires)
    {
        var meta = (JsonObject)body["metadata"]!;
        // The resourceVersion is drawn in the same round trip that writes the row: the JSON carries a one-time
        // placeholder which SQL replaces with this session's sequence value (currval). The placeholder is random,
        // so no user data can contain it.
        var placeholder = "\"rv-" + Guid.NewGuid().ToString("N") + "\"";
        meta["resourceVersion"] = placeholder.Trim('"');
        var ns = (string?)meta["namespace"] ?? "";
        var name = (string)meta["name"]!;
        var uid = Guid.Parse((string)meta["uid"]!);
        var full = body.ToJsonString();
        // Only a Secret's stored form differs from what the API returns (its data moves to the encrypted column).
        var stored = body;
        var storedJson = full;
        byte[]? encrypted = null;
        if (kind == ResourceKinds.Secret)
        {
            stored = (JsonObject)body.DeepClone();
            encrypted = secrets.Split(stored, ns, name);
            stored.Remove("stringData");
            storedJson = stored.ToJsonString();
        }
        var first = !_locked && batch.BatchCommands.Count == 0;
        batch.BatchCommands.Add(new NpgsqlBatchCommand(first
            ? $"SELECT nextval('{Schema.Sequence}') FROM pg_advisory_xact_lock({VersionLock})"
            : $"SELECT nextval('{Schema.Sequence}')"));
        if (requires is { } r)
        {
            // A separate statement, so its snapshot is taken after the lock was granted.
            var check = new NpgsqlBatchCommand($"SELECT {Schema.Expect}(EXISTS (SELECT 1 FROM {Schema.Objects} WHERE kind = $1 AND namespace = '' AND name = $2), '{Schema.ParentMissing}')");
            check.Parameters.Add(new NpgsqlParameter { Value = r.Kind.Kind });
            check.Parameters.Add(new NpgsqlParameter { Value = r.Name });
            batch.BatchCommands.Add(check);
        }
        batch.BatchCommands.Add(type == ChangeType.Deleted ? DeleteRow(kind, ns, name) : UpsertRow(kind, ns, name, uid, placeholder, stored, storedJson, encrypted, type));
        batch.BatchCommands.Add(log.HistoryRow(kind, ns, name, type, placeholder, storedJson));
        batch.BatchCommands.Add(log.OutboxRow(kind, stored, storedJson, type, placeholder));
        return new PendingWrite(kind, ns, name, uid, type, requires, meta, placeholder, full);
    }

    /// <summary>The API's answer to a write that SQL refused: its parent is gone, or its row was taken or changed.</summary>
    private static Exception WriteProblem(PostgresException ex, PendingWrite write) => ex.SqlState == Schema.ParentMissing
        ? Problems.ApiProblem.NotFound($"{write.Requires!.Value.Kind.Plural} \"{write.Requires.Value.Name}\" not found")
        : write.Type == ChangeType.Created
            ? Problems.ApiProblem.AlreadyExists($"{write.Kind.Plural} \"{write.Name}\" already exists")
            : Problems.ApiProblem.Conflict($"{write.Kind.Plural} \"{write.Name}\" changed or was deleted concurrently; get it again and retry");

    /// <summary>SQL for the stored JSON <paramref name="p"/> with the placeholder <paramref name="placeholder"/> replaced by the drawn resourceVersion.</summary>
    internal static string WithVersion(string p, string placeholder) =>
        $"replace({p}, {placeholder}, '\"' || currval('{Schema.Sequence}') || '\"')::json";

    private static NpgsqlBatchCommand UpsertRow(ResourceKind kind, string ns, string name, Guid uid, string placeholder, JsonObject body, string json, byte[]? encrypted, ChangeType type)
    {
        var version = $"currval('{Schema.Sequence}')";
        var bodySql = WithVersion("$10", "$5");
        var columns = $"$1, $2, $3, $4, {version}, $6::jsonb, $7, $8, $9, {bodySql}, $11";
        var sql = type == ChangeType.Created
            ? $"INSERT INTO {Schema.Objects} (kind, namespace, name, uid, resource_version, labels, node_name, phase, owner_uids, body, secret_data) VALUES ({columns}) ON CONFLICT DO NOTHING"
            : $"UPDATE {Schema.Objects} SET resource_version = {version}, labels = $6::jsonb, node_name = $7, phase = $8, owner_uids = $9, body = {bodySql}, secret_data = $11 WHERE kind = $1 AND namespace = $2 AND name = $3 AND uid = $4";
        var cmd = new NpgsqlBatchCommand(ExactlyOneRow(sql));
        var meta = body["metadata"]!;
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = uid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = placeholder, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = meta["labels"]?.ToJsonString() ?? "{}", NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind == ResourceKinds.Pod ? (object?)(string?)body["spec"]?["nodeName"] ?? DBNull.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)(body["status"]?["phase"] as JsonValue)?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var owners = (meta["ownerReferences"] as JsonArray ?? []).Select(o => Guid.TryParse((string?)o?["uid"], out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter { Value = owners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)encrypted ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        return cmd;
    }

    /// <summary><paramref name="write"/>, failing with <see cref="Schema.RowMissed"/> unless it touched exactly one row (a create that found the name taken, an update or delete that found the row gone).</summary>
    private static string ExactlyOneRow(string write) => $"WITH w AS ({write} RETURNING 1) SELECT {Schema.Expect}(count(*) = 1, '{Schema.RowMissed}') FROM w";

    private static NpgsqlBatchCommand DeleteRow(ResourceKind kind, string ns, string name)
    {
        var cmd = new NpgsqlBatchCommand(ExactlyOneRow($"DELETE FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 AND name = $3"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        return cmd;
    }

    /// <summary>
    /// Takes the resourceVersion lock now. Deletions that cascade take it before listing what to delete, so an
    /// object created concurrently is either seen and deleted or created after the deletion and refused.
    /// </summary>
    public async Task LockVersionsAsync(CancellationToken ct)
    {
        if (_locked) return;
        await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({VersionLock})", conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
        _locked = true;
    }

    /// <summary>Commits, unless a write already did (<c>commit: true</c>).</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_committed) return;
        await tx.CommitAsync(ct);
        Committed();
    }

    private void Committed()
    {
        _committed = true;
        if (_wrote) notifier.Signal();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        try
        {
            await tx.DisposeAsync();
            await conn.DisposeAsync();
        }
        finally
        {
            writers.Release();
        }
    }
}
