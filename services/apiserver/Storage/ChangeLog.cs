using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Platform.Contracts.Events;
using Platform.Contracts.Resources;
using Platform.EventBus.CloudEvents;
using Platform.Outbox;

namespace Platform.ApiServer.Storage;

/// <summary>
/// The one place a change leaves the apiserver: a row in the watch history and an event in the transactional
/// outbox, both in the caller's transaction, so a change is published if and only if it is committed.
/// Topic <c>platform.{plural}</c> (<c>ApiServer:TopicPrefix</c>), key <c>namespace/name</c> (<c>name</c> for cluster-scoped kinds; Events are
/// keyed by their involved object), type <c>io.platform.{kind}.{created|updated|deleted}</c>, data the whole object
/// (Secrets: without <c>data</c>, which <see cref="SecretData"/> removed before this point).
/// </summary>
internal sealed class ChangeLog(IOptions<ApiServerOptions> options)
{
    private readonly string _source = options.Value.EventSource;
    private readonly string _prefix = options.Value.TopicPrefix;

    public string TopicOf(ResourceKind kind) => _prefix + kind.Plural;

    /// <summary>The watch history row; <paramref name="placeholder"/> in <paramref name="json"/> becomes the drawn resourceVersion (see <see cref="WriteSession"/>).</summary>
    public NpgsqlBatchCommand HistoryRow(ResourceKind kind, string ns, string name, ChangeType type, string placeholder, string json)
    {
        var cmd = new NpgsqlBatchCommand($"INSERT INTO {Schema.Changes} (resource_version, kind, namespace, name, type, body) VALUES (currval('{Schema.Sequence}'), $2, $3, $4, $5, {PendingWrite.WithVersion("$6", "$1")})");
        cmd.Parameters.Add(new NpgsqlParameter { Value = placeholder, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = type.ToString() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Text });
        return cmd;
    }

    /// <summary>
    /// The outbox event, as a batch command in the same round trip as the row it announces: its data is
    /// <paramref name="json"/> with <paramref name="placeholder"/> replaced by the drawn resourceVersion (in SQL, as
    /// for the row and the history), so nothing is left to send while the resourceVersion lock is held.
    /// </summary>
    public NpgsqlBatchCommand OutboxRow(ResourceKind kind, JsonObject body, string json, ChangeType type, string placeholder)
    {
        var e = new PlatformEvent
        {
            Id = Guid.NewGuid().ToString(),
            Source = _source,
            Type = EventTypes.For(kind.Kind, type.ToString()),
            Subject = SubjectOf(kind, body),
            Key = KeyOf(kind, body),
            Data = Encoding.UTF8.GetBytes(json),
        };
        var version = $"currval('{Schema.Sequence}')";
        return OutboxWriter.InsertCommand(TopicOf(kind), e,
            dataSql: $"convert_to(replace(convert_from($9, 'UTF8'), $11, '\"' || {version} || '\"'), 'UTF8')",
            extensionsSql: $"jsonb_build_object('resourceversion', {version}::text)",
            new NpgsqlParameter { Value = placeholder, NpgsqlDbType = NpgsqlDbType.Text });
    }

    public static string KeyOf(ResourceKind kind, JsonObject body)
    {
        var meta = body["metadata"];
        var ns = (string?)meta?["namespace"];
        if (kind == ResourceKinds.Event) return $"{ns}/{(string?)body["involvedObject"]?["name"]}";
        return kind.Namespaced ? $"{ns}/{(string?)meta?["name"]}" : (string?)meta?["name"] ?? "";
    }

    private static string SubjectOf(ResourceKind kind, JsonObject body)
    {
        var meta = body["metadata"];
        return kind.Namespaced ? $"{kind.Plural}/{(string?)meta?["namespace"]}/{(string?)meta?["name"]}" : $"{kind.Plural}/{(string?)meta?["name"]}";
    }
}
