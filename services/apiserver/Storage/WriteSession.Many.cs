using System.Text.Json.Nodes;
using Npgsql;
using Platform.Contracts.Resources;
using Platform.Outbox;

namespace Platform.ApiServer.Storage;

internal sealed partial class WriteSession
{
    /// <summary>The objects of <paramref name="kind"/> named in <paramref name="keys"/> that exist, locked (FOR UPDATE) in key order, one round trip.</summary>
    public async Task<Dictionary<(string Namespace, string Name), StoredObject>> GetManyAsync(ResourceKind kind, IReadOnlyCollection<(string Namespace, string Name)> keys,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT o.namespace, o.name, o.uid, o.resource_version, o.body, o.secret_data FROM {Schema.Objects} o " +
            "JOIN unnest($2::text[], $3::text[]) AS k(namespace, name) ON o.namespace = k.namespace AND o.name = k.name " +
            "WHERE o.kind = $1 ORDER BY o.namespace, o.name FOR UPDATE OF o", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Namespace).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k.Name).ToArray() });
        return (await ObjectStore.ReadAllAsync(cmd, secrets, ct)).ToDictionary(o => (o.Namespace, o.Name));
    }

    /// <summary>Which of <paramref name="names"/> exist as cluster-scoped <paramref name="kind"/> objects (not locked).</summary>
    public async Task<HashSet<string>> ExistingAsync(ResourceKind kind, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT name FROM {Schema.Objects} WHERE kind = $1 AND namespace = '' AND name = ANY($2)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = names.ToArray() });
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetString(0));
        return found;
    }

    /// <summary>
    /// Updates many objects and commits, all in one round trip: the resourceVersion lock once, then for each object
    /// nextval, its parent check, the row, the history row and the outbox event, then one NOTIFY and the COMMIT (one WAL
    /// flush for all of them). Versions are drawn in list order under the lock, so commit order is still resourceVersion
    /// order. The rows must have been read FOR UPDATE in this session. A refused write (a parent gone since the caller
    /// checked it) aborts them all with <see cref="BatchWriteRefused"/>: the caller checks again and retries without it.
    /// </summary>
    public async Task<List<StoredObject>> UpdateManyAsync(IReadOnlyList<(ResourceKind Kind, JsonObject Body, (ResourceKind Kind, string Name)? Requires)> updates,
        CancellationToken ct)
    {
        if (_committed) throw new InvalidOperationException("the write session has already committed");
        if (updates.Count == 0)
        {
            await CommitAsync(ct);
            return [];
        }
        await using var batch = new NpgsqlBatch(conn, tx);
        var pending = updates.Select(u => AddWrite(batch, u.Kind, u.Body, ChangeType.Updated, u.Requires)).ToList();
        batch.BatchCommands.Add(OutboxWriter.NotifyCommand());
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var versions = new List<long>(pending.Count);
        try
        {
            await ExecuteDrawingVersionsAsync(batch, versions, ct);
        }
        catch (PostgresException ex) when (ex.SqlState is Schema.ParentMissing or Schema.RowMissed)
        {
            throw new BatchWriteRefused(ex.SqlState);
        }
        if (versions.Count != pending.Count) throw new InvalidOperationException($"batch write drew {versions.Count} resourceVersions for {pending.Count} objects");
        _locked = true;
        _wrote = true;
        Committed();
        return pending.Select((p, i) => p.Stored(versions[i])).ToList();
    }
}

internal sealed partial class WriteSession
{
    /// <summary>
    /// Runs a batch of writes (<see cref="PendingWrite.Commands"/>), adding each write's drawn resourceVersion to
    /// <paramref name="versions"/> as its result arrives: when a statement fails, the versions before it are there.
    /// </summary>
    internal static async Task ExecuteDrawingVersionsAsync(NpgsqlBatch batch, List<long> versions, CancellationToken ct)
    {
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            // Each write's first statement is its nextval; the other statements' results are not needed.
            if (reader.FieldCount == 1 && reader.GetName(0) == "nextval" && await reader.ReadAsync(ct)) versions.Add(reader.GetInt64(0));
        }
        while (await reader.NextResultAsync(ct));
    }
}

/// <summary>A batch write that SQL refused as a whole (<see cref="Schema.ParentMissing"/> or <see cref="Schema.RowMissed"/>); nothing was written.</summary>
internal sealed class BatchWriteRefused(string sqlState) : Exception($"batch write refused ({sqlState})")
{
    public string SqlState { get; } = sqlState;
}
