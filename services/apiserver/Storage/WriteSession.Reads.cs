using System.Text;
using Npgsql;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

/// <summary>What an admission step reads without locking: one object (<see cref="Name"/> set) or every object of a kind in a namespace.</summary>
internal readonly record struct AdmissionRead(ResourceKind Kind, string Namespace, string? Name = null);

internal sealed partial class WriteSession
{
    /// <summary>Unlocked reads fetched ahead (<see cref="PrefetchAsync"/>), until this session writes.</summary>
    private Dictionary<AdmissionRead, List<StoredObject>>? _prefetched;

    /// <summary>
    /// Reads everything in <paramref name="reads"/> in one round trip, unlocked, for <see cref="PeekAsync"/> and
    /// unlocked <see cref="ListAsync"/> calls to answer from until this session writes. A pod's admission reads its
    /// namespace, its PriorityClass, the namespace's LimitRanges and ResourceQuotas: one round trip instead of four.
    /// </summary>
    public async Task PrefetchAsync(IReadOnlyList<AdmissionRead> wanted, CancellationToken ct)
    {
        var reads = wanted.Distinct().ToList();
        var sql = new StringBuilder("SELECT * FROM (");
        await using var cmd = new NpgsqlCommand { Connection = conn, Transaction = tx };
        for (var i = 0; i < reads.Count; i++)
        {
            var (kind, ns, name) = reads[i];
            if (i > 0) sql.Append(" UNION ALL ");
            sql.Append($"SELECT namespace, name, uid, resource_version, body, secret_data, {i} AS read FROM {Schema.Objects} ");
            sql.Append($"WHERE kind = ${cmd.Parameters.Count + 1} AND namespace = ${cmd.Parameters.Count + 2}");
            cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
            cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
            if (name is null) continue;
            sql.Append($" AND name = ${cmd.Parameters.Count + 1}");
            cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        }
        cmd.CommandText = sql.Append(") q ORDER BY read, name").ToString();
        var found = reads.ToDictionary(r => r, _ => new List<StoredObject>());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found[reads[reader.GetInt32(6)]].Add(ObjectStore.Read(reader, secrets));
        _prefetched = found;
    }

    /// <summary>The object as committed now, not locked: for admission's lookups of what the write does not change (a namespace's labels, a PriorityClass).</summary>
    public async Task<StoredObject?> PeekAsync(ResourceKind kind, string ns, string name, CancellationToken ct)
    {
        if (Ahead(new AdmissionRead(kind, ns, name)) is { } ahead) return ahead.FirstOrDefault();
        return await ObjectStore.ReadOneAsync(conn, tx, secrets, kind, ns, name, forUpdate: false, ct);
    }

    /// <summary>A prefetched unlocked list (a copy: callers may change it), unless the read is to lock.</summary>
    private List<StoredObject>? Prefetched(ResourceKind kind, string ns, bool forUpdate) =>
        !forUpdate && Ahead(new AdmissionRead(kind, ns)) is { } ahead ? [.. ahead] : null;

    /// <summary>What the prefetch read for <paramref name="read"/>, while this session has written nothing (its own writes would be missing).</summary>
    private List<StoredObject>? Ahead(AdmissionRead read) => _wrote || _commanded ? null : _prefetched?.GetValueOrDefault(read);
}
