using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Contracts.Resources;

namespace Platform.ApiServer.Storage;

/// <summary>
/// One object write before its resourceVersion is known: the row in its stored form, carrying the one-time
/// <paramref name="Placeholder"/> that SQL replaces with the drawn version. With <paramref name="ExpectedVersion"/> the
/// row is only updated or deleted if it still has that version (a write grouped into another transaction than the one
/// that read it, see <see cref="GroupCommitter"/>).
/// </summary>
internal sealed record PendingWrite(ResourceKind Kind, string Namespace, string Name, Guid Uid, ChangeType Type, (ResourceKind Kind, string Name)? Requires,
    JsonObject Metadata, string Placeholder, string Full, JsonObject StoredBody, string StoredJson, byte[]? Encrypted, long? ExpectedVersion)
{
    private const long VersionLock = WriteSession.VersionLock;

    public StoredObject Stored(long rv)
    {
        var version = rv.ToString(CultureInfo.InvariantCulture);
        Metadata["resourceVersion"] = version;
        return new StoredObject(Namespace, Name, Uid, rv, Full.Replace(Placeholder, "\"" + version + "\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// [resourceVersion lock +] nextval (the first result of these statements is the drawn version), the parent check,
    /// the row, the history row and the outbox event. New commands each call: a batch command belongs to one batch.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> Commands(ChangeLog log, bool lockFirst)
    {
        yield return new NpgsqlBatchCommand(lockFirst
            ? $"SELECT nextval('{Schema.Sequence}') FROM pg_advisory_xact_lock({VersionLock})"
            : $"SELECT nextval('{Schema.Sequence}')");
        if (Requires is { } r)
        {
            // A separate statement, so its snapshot is taken after the lock was granted.
            var check = new NpgsqlBatchCommand($"SELECT {Schema.Expect}(EXISTS (SELECT 1 FROM {Schema.Objects} WHERE kind = $1 AND namespace = '' AND name = $2), '{Schema.ParentMissing}')");
            check.Parameters.Add(new NpgsqlParameter { Value = r.Kind.Kind });
            check.Parameters.Add(new NpgsqlParameter { Value = r.Name });
            yield return check;
        }
        yield return Type == ChangeType.Deleted ? DeleteRow() : UpsertRow();
        yield return log.HistoryRow(Kind, Namespace, Name, Type, Placeholder, StoredJson);
        yield return log.OutboxRow(Kind, StoredBody, StoredJson, Type, Placeholder);
    }

    /// <summary>SQL for the stored JSON <paramref name="p"/> with the placeholder <paramref name="placeholder"/> replaced by the drawn resourceVersion.</summary>
    internal static string WithVersion(string p, string placeholder) =>
        $"replace({p}, {placeholder}, '\"' || currval('{Schema.Sequence}') || '\"')::json";

    private NpgsqlBatchCommand UpsertRow()
    {
        var version = $"currval('{Schema.Sequence}')";
        var bodySql = WithVersion("$10", "$5");
        var columns = $"$1, $2, $3, $4, {version}, $6::jsonb, $7, $8, $9, {bodySql}, $11";
        var sql = Type == ChangeType.Created
            ? $"INSERT INTO {Schema.Objects} (kind, namespace, name, uid, resource_version, labels, node_name, phase, owner_uids, body, secret_data) VALUES ({columns}) ON CONFLICT DO NOTHING"
            : $"UPDATE {Schema.Objects} SET resource_version = {version}, labels = $6::jsonb, node_name = $7, phase = $8, owner_uids = $9, body = {bodySql}, secret_data = $11 " +
              "WHERE kind = $1 AND namespace = $2 AND name = $3 AND uid = $4 AND ($12::bigint IS NULL OR resource_version = $12)";
        var cmd = new NpgsqlBatchCommand(ExactlyOneRow(sql));
        var meta = StoredBody["metadata"]!;
        cmd.Parameters.Add(new NpgsqlParameter { Value = Kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Namespace });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Uid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Placeholder, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = meta["labels"]?.ToJsonString() ?? "{}", NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Kind == ResourceKinds.Pod ? (object?)(string?)StoredBody["spec"]?["nodeName"] ?? DBNull.Value : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)(StoredBody["status"]?["phase"] as JsonValue)?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var owners = (meta["ownerReferences"] as JsonArray ?? []).Select(o => Guid.TryParse((string?)o?["uid"], out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToArray();
        cmd.Parameters.Add(new NpgsqlParameter { Value = owners, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = StoredJson, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)Encrypted ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        if (Type != ChangeType.Created) cmd.Parameters.Add(ExpectedParameter());
        return cmd;
    }

    private NpgsqlBatchCommand DeleteRow()
    {
        var cmd = new NpgsqlBatchCommand(ExactlyOneRow($"DELETE FROM {Schema.Objects} WHERE kind = $1 AND namespace = $2 AND name = $3 AND ($4::bigint IS NULL OR resource_version = $4)"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = Kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Namespace });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Name });
        cmd.Parameters.Add(ExpectedParameter());
        return cmd;
    }

    private NpgsqlParameter ExpectedParameter() => new() { Value = (object?)ExpectedVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    /// <summary><paramref name="write"/>, failing with <see cref="Schema.RowMissed"/> unless it touched exactly one row (a create that found the name taken, an update or delete that found the row gone or changed).</summary>
    private static string ExactlyOneRow(string write) => $"WITH w AS ({write} RETURNING 1) SELECT {Schema.Expect}(count(*) = 1, '{Schema.RowMissed}') FROM w";

    /// <summary>The API's answer to this write when SQL refused it: its parent is gone, or its row was taken or changed.</summary>
    public Exception Refused(PostgresException ex) => ex.SqlState == Schema.ParentMissing
        ? Problems.ApiProblem.NotFound($"{Requires!.Value.Kind.Plural} \"{Requires.Value.Name}\" not found")
        : Type == ChangeType.Created
            ? Problems.ApiProblem.AlreadyExists($"{Kind.Plural} \"{Name}\" already exists")
            : ExpectedVersion is not null
                ? new StaleGroupedWrite()
                : Problems.ApiProblem.Conflict($"{Kind.Plural} \"{Name}\" changed or was deleted concurrently; get it again and retry");
}

/// <summary>
/// A grouped update or delete found its row changed since its own transaction read it (the row lock ended with that
/// transaction). <see cref="Retry"/> reruns the request in a transaction of its own, which queues on the row lock.
/// </summary>
internal sealed class StaleGroupedWrite() : Exception("the object changed between the read and the grouped write");
