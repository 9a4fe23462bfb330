using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.ApiServer.Storage;
using Platform.Contracts.Resources;
using Platform.ApiServer.Problems;

namespace Platform.ApiServer.Watch;

/// <summary>
/// <c>?watch=true</c> for CLI users: newline-delimited <c>{"type":"ADDED|MODIFIED|DELETED","object":{...}}</c>, read
/// from the change history after a resourceVersion. Without one, the current objects come first as ADDED.
/// With <c>allowWatchBookmarks=true</c>, a <c>BOOKMARK</c> event (the kind and the resourceVersion the watch has reached,
/// nothing else) every <c>ApiServer:WatchBookmarkInterval</c>, so a client that sees no change still learns how far
/// it may resume from. Components do not use this; they consume Kafka.
/// </summary>
internal sealed class WatchStreamer(NpgsqlDataSource db, ObjectStore store, ChangeNotifier notifier, TimeProvider time, IOptions<ApiServerOptions> options)
{
    private static readonly TimeSpan FallbackWake = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Streams the changes; <paramref name="render"/>, when given, turns each object's JSON into what the event carries
    /// (the endpoint's server-side printing for <c>kubectl get -w</c>).
    /// </summary>
    public async Task StreamAsync(HttpContext http, ResourceKind kind, string? ns, Selector labels, FieldSelector fields,
        string? resourceVersion, TimeSpan timeout, Func<string, string>? render, bool bookmarks, CancellationToken ct)
    {
        long from = 0;
        var hasFrom = !string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0";
        if (hasFrom && (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < 0))
            throw ApiProblem.BadRequest("resourceVersion", $"'{resourceVersion}' is not a resourceVersion (a non-negative integer)");
        if (hasFrom && from < await CompactedThroughAsync(ct))
            throw new ApiProblem(410, "Expired", $"too old resource version: {from}; list again and watch from the list's resourceVersion");

        http.Response.ContentType = "application/json; stream=watch";
        http.Response.Headers.CacheControl = "no-cache";
        var body = http.Response.Body;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        try
        {
            if (!hasFrom)
            {
                var (items, listRv) = await store.ListAsync(kind, ns, labels, fields, token);
                foreach (var item in items) await WriteAsync(body, "ADDED", render?.Invoke(item.Json) ?? item.Json, token);
                from = listRv;
            }
            await body.FlushAsync(token);
            var interval = options.Value.WatchBookmarkInterval;
            var nextBookmark = time.GetUtcNow() + interval;
            while (!token.IsCancellationRequested)
            {
                var changes = await ReadChangesAsync(kind, ns, from, token);
                foreach (var (rv, type, json) in changes)
                {
                    from = rv;
                    var obj = (JsonObject)JsonNode.Parse(json)!;
                    var objLabels = obj["metadata"]?["labels"]?.Deserialize<Dictionary<string, string>>();
                    if (!labels.Matches(objLabels) || !fields.Matches(obj)) continue;
                    await WriteAsync(body, type, render?.Invoke(json) ?? json, token);
                }
                if (bookmarks && time.GetUtcNow() >= nextBookmark)
                {
                    var bookmark = new JsonObject
                    {
                        ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = from.ToString(CultureInfo.InvariantCulture) },
                    };
                    await WriteAsync(body, "BOOKMARK", bookmark.ToJsonString(), token);
                    nextBookmark = time.GetUtcNow() + interval;
                }
                await body.FlushAsync(token);
                if (changes.Count == 0) await notifier.WaitAsync(FallbackWake, time, token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested || http.RequestAborted.IsCancellationRequested)
        {
            // The watch's timeout elapsed or the client went away: the stream simply ends, as in Kubernetes.
        }
    }

    private static async Task WriteAsync(Stream body, string type, string json, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":{json}}}\n");
        await body.WriteAsync(line, ct);
    }

    private async Task<List<(long, string, string)>> ReadChangesAsync(ResourceKind kind, string? ns, long after, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT resource_version, type, body FROM {Schema.Changes} WHERE kind = $1 AND resource_version > $2" +
            (ns is null ? "" : " AND namespace = $3") + " ORDER BY resource_version LIMIT 500");
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = after });
        if (ns is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = ns });
        var list = new List<(long, string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var type = reader.GetString(1) switch { "Created" => "ADDED", "Updated" => "MODIFIED", _ => "DELETED" };
            list.Add((reader.GetInt64(0), type, reader.GetString(2)));
        }
        return list;
    }

    private async Task<long> CompactedThroughAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT coalesce(max(compacted_through), 0) FROM {Schema.Compaction}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
