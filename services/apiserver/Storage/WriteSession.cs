using System.Text.Json.Nodes;
using Npgsql;
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
/// <remarks>
/// With a <paramref name="group"/>, a session's single committing write may instead join a <see cref="GroupCommitter"/>
/// transaction (WriteSession.Grouped.cs).
/// </remarks>
internal sealed partial class WriteSession(NpgsqlConnection conn, NpgsqlTransaction tx, SecretData secrets, ChangeLog log, ChangeNotifier notifier, SemaphoreSlim writers,
    GroupCommitter? group) : IAsyncDisposable
{
    internal const long VersionLock = 7070001;
    /// <summary>The resourceVersion each object read here had: a grouped write only lands if its row still has it.</summary>
    private readonly Dictionary<(string Kind, string Namespace, string Name), long> _read = [];
    /// <summary>Raw commands ran here (a Service's address claims): such a session's write must commit with them, not in a group.</summary>
    private bool _commanded;
    private bool _locked;
    private bool _wrote;
    private bool _committed;
    private int _disposed;

    public async Task<StoredObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        var found = await ObjectStore.ReadOneAsync(conn, tx, secrets, kind, ns, name, forUpdate: true, ct);
        if (found is not null) _read[(kind.Kind, ns, name)] = found.ResourceVersion;
        return found;
    }

    /// <summary>Every object of <paramref name="kind"/> in <paramref name="ns"/>, locked when <paramref name="forUpdate"/>.</summary>
    public async Task<List<StoredObject>> ListAsync(ResourceKind kind, string ns, bool forUpdate, CancellationToken ct)
    {
        if (Prefetched(kind, ns, forUpdate) is { } ahead) return ahead;
        await using var cmd = new NpgsqlCommand($"SELECT namespace, name, uid, resource_version, body, secret_data FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 ORDER BY name{(forUpdate ? " FOR UPDATE" : "")}", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        return await ObjectStore.ReadAllAsync(cmd, secrets, ct);
    }

    /// <summary>A command in this session's transaction, for the rows written with an object (a Service's cluster IP and node ports).</summary>
    public NpgsqlCommand Command(string sql)
    {
        _commanded = true;
        return new(sql, conn, tx);
    }

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
        if (commit && Groupable(kind, body, type, out var expected)) return await GroupedAsync(Prepare(kind, body, type, requires, expected));
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
            throw pending.Refused(ex);
        }
        _locked = true;
        _wrote = true;
        if (commit) Committed();
        return pending.Stored(rv);
    }

    /// <summary>
    /// Queues [resourceVersion lock +] nextval (the batch's next result is the drawn version), the parent check, the
    /// row, the history row and the outbox event. The version lock is taken by the first write of the session only.
    /// </summary>
    private PendingWrite AddWrite(NpgsqlBatch batch, ResourceKind kind, JsonObject body, ChangeType type, (ResourceKind Kind, string Name)? requires)
    {
        var pending = Prepare(kind, body, type, requires, expectedVersion: null);
        foreach (var command in pending.Commands(log, lockFirst: !_locked && batch.BatchCommands.Count == 0)) batch.BatchCommands.Add(command);
        return pending;
    }

    /// <summary>The write's row in its stored form, with a one-time resourceVersion placeholder (see <see cref="PendingWrite"/>).</summary>
    private PendingWrite Prepare(ResourceKind kind, JsonObject body, ChangeType type, (ResourceKind Kind, string Name)? requires, long? expectedVersion)
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
        return new PendingWrite(kind, ns, name, uid, type, requires, meta, placeholder, full, stored, storedJson, encrypted, expectedVersion);
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

    public ValueTask DisposeAsync() => EndAsync();

    /// <summary>Ends the transaction (rolling back what was not committed), returns the connection and lets the next writer in.</summary>
    private async ValueTask EndAsync()
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
