using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.ApiServer.Watch;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

/// <summary>
/// One write transaction. Rows read here are locked (FOR UPDATE) so concurrent writers of one object queue
/// up and the loser sees the new resourceVersion. Assigning a resourceVersion takes a transaction-scoped
/// advisory lock held until commit: commits become visible in resourceVersion order, which is what lets a
/// list's resourceVersion be a safe starting point for a watch (as etcd's revision is).
/// </summary>
internal sealed class WriteSession(NpgsqlConnection conn, NpgsqlTransaction tx, SecretData secrets, ChangeLog log, ChangeNotifier notifier) : IAsyncDisposable
{
    private const long VersionLock = 7070001;
    private bool _locked;
    private bool _wrote;

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
    public Task<StoredObject> InsertAsync(ResourceKind kind, JsonObject body, CancellationToken ct, (ResourceKind Kind, string Name)? requires = null) =>
        WriteAsync(kind, body, ChangeType.Created, requires, ct);

    public Task<StoredObject> UpdateAsync(ResourceKind kind, JsonObject body, CancellationToken ct, (ResourceKind Kind, string Name)? requires = null) =>
        WriteAsync(kind, body, ChangeType.Updated, requires, ct);

    public Task<StoredObject> DeleteAsync(ResourceKind kind, JsonObject body, CancellationToken ct) => WriteAsync(kind, body, ChangeType.Deleted, null, ct);

    private async Task<StoredObject> WriteAsync(ResourceKind kind, JsonObject body, ChangeType type, (ResourceKind Kind, string Name)? requires, CancellationToken ct)
    {
        var rv = await NextVersionAsync(requires, ct);
        var meta = (JsonObject)body["metadata"]!;
        meta["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
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

        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(type == ChangeType.Deleted ? DeleteRow(kind, ns, name) : UpsertRow(kind, ns, name, uid, rv, stored, storedJson, encrypted, type));
        batch.BatchCommands.Add(log.HistoryRow(kind, ns, name, type, rv, storedJson));
        await batch.ExecuteNonQueryAsync(ct);
        if (batch.BatchCommands[0].RecordsAffected != 1)
        {
            throw type == ChangeType.Created
                ? Api.ApiProblem.AlreadyExists($"{kind.Plural} \"{name}\" already exists")
                : Api.ApiProblem.Conflict($"{kind.Plural} \"{name}\" changed or was deleted concurrently; get it again and retry");
        }
        await log.PublishAsync(conn, tx, kind, stored, storedJson, type, rv, ct);
        _wrote = true;
        return new StoredObject(ns, name, uid, rv, full);
    }

    private static NpgsqlBatchCommand UpsertRow(ResourceKind kind, string ns, string name, Guid uid, long rv, JsonObject body, string json, byte[]? encrypted, ChangeType type)
    {
        var columns = "$1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10::json, $11";
        var sql = type == ChangeType.Created
            ? $"INSERT INTO {Schema.Objects} (kind, namespace, name, uid, resource_version, labels, node_name, phase, owner_uids, body, secret_data) VALUES ({columns}) ON CONFLICT DO NOTHING"
            : $"UPDATE {Schema.Objects} SET resource_version = $5, labels = $6::jsonb, node_name = $7, phase = $8, owner_uids = $9, body = $10::json, secret_data = $11 WHERE kind = $1 AND namespace = $2 AND name = $3 AND uid = $4";
        var cmd = new NpgsqlBatchCommand(sql);
        var meta = body["metadata"]!;
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = uid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = rv });
        cmd.Parameters.Add(new NpgsqlParameter { Value = meta["labels"]?.ToJsonString() ?? "{}", NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind == ResourceKinds.Pod ? (object?)(string?)body["spec"]?["nodeName"] ?? DBNull.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)(body["status"]?["phase"] as JsonValue)?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var owners = (meta["ownerReferences"] as JsonArray ?? []).Select(o => Guid.TryParse((string?)o?["uid"], out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter { Value = owners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)encrypted ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        return cmd;
    }

    private static NpgsqlBatchCommand DeleteRow(ResourceKind kind, string ns, string name)
    {
        var cmd = new NpgsqlBatchCommand($"DELETE FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 AND name = $3");
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

    private async Task<long> NextVersionAsync((ResourceKind Kind, string Name)? requires, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_locked
            ? $"SELECT 0, nextval('{Schema.Sequence}')"
            : $"SELECT 0, nextval('{Schema.Sequence}') FROM pg_advisory_xact_lock({VersionLock})"));
        if (requires is { } r)
        {
            // A separate statement, so its snapshot is taken after the lock was granted.
            var check = new NpgsqlBatchCommand($"SELECT count(*) FROM {Schema.Objects} WHERE kind = $1 AND namespace = '' AND name = $2");
            check.Parameters.Add(new NpgsqlParameter { Value = r.Kind.Kind });
            check.Parameters.Add(new NpgsqlParameter { Value = r.Name });
            batch.BatchCommands.Add(check);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var rv = reader.GetInt64(1);
        _locked = true;
        if (requires is { } req)
        {
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            if (reader.GetInt64(0) == 0) throw Api.ApiProblem.NotFound($"{req.Kind.Plural} \"{req.Name}\" not found");
        }
        return rv;
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await tx.CommitAsync(ct);
        if (_wrote) notifier.Signal();
    }

    public async ValueTask DisposeAsync()
    {
        await tx.DisposeAsync();
        await conn.DisposeAsync();
    }
}
