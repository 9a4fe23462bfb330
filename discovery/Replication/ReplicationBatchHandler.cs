using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Discovery.Api;
using Platform.Discovery.Api.Codecs;
using Platform.Discovery.Configuration;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Replication;

/// <summary>
/// <c>POST /eureka/peerreplication/batch</c>: applies a peer's <c>replicationList</c> as replicated changes and
/// answers a <c>responseList</c> with one status code per entry (409 carries our newer copy of the instance).
/// </summary>
internal static class ReplicationBatchHandler
{
    public static async Task<IResult> Handle(HttpContext context, InstanceRegistry registry, IOptions<EurekaServerOptions> options, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync(context.Request, options.Value.MaxBatchBodyBytes, options.Value.MaxBodyDepth, ct);
        if (error is not null) return error;
        if (body!["replicationList"] is not JsonArray list) return Problems.BadRequest("replicationList", "required array");
        var responses = new JsonArray();
        for (var n = 0; n < list.Count; n++)
        {
            var (code, entity) = Apply(list[n] as JsonObject, registry);
            var r = new JsonObject { ["statusCode"] = code };
            if (entity is not null) r["responseEntity"] = entity;
            responses.Add(r);
        }
        return TypedResults.Json(new JsonObject { ["responseList"] = responses });
    }

    private static (int Code, JsonNode? Entity) Apply(JsonObject? task, InstanceRegistry registry)
    {
        if (task is null) return (400, null);
        string? Str(string name) => task[name] is JsonValue v ? v.ToString() : null;
        var app = Str("appName")?.ToUpperInvariant();
        var id = Str("id");
        if (string.IsNullOrEmpty(app) || string.IsNullOrEmpty(id)) return (400, null);
        long? dirty = long.TryParse(Str("lastDirtyTimestamp"), out var d) ? d : null;
        var hasStatus = EurekaNames.TryParseStatus(Str("status"), out var status);
        var hasOverride = EurekaNames.TryParseStatus(Str("overriddenStatus"), out var overridden);
        switch (Str("action"))
        {
            case ReplicationTask.Register:
                var parsed = InstanceReader.Read(task["instanceInfo"], "instanceInfo", app, registry.NowMs);
                if (!parsed.Ok) return (400, null);
                registry.Register(parsed.Value!, isReplication: true);
                return (200, null);
            case ReplicationTask.Heartbeat:
                var (outcome, current) = registry.Renew(app, id, hasStatus ? status : null, dirty,
                    hasOverride ? overridden : null, isReplication: true);
                return outcome switch
                {
                    RenewOutcome.Ok => (200, null),
                    RenewOutcome.Conflict => (409, ToJson(current!)),
                    _ => (404, null),
                };
            case ReplicationTask.Cancel:
                return (registry.Cancel(app, id, isReplication: true) ? 200 : 404, null);
            case ReplicationTask.StatusUpdate:
                return (registry.SetStatusOverride(app, id, overridden == InstanceStatus.Unknown ? status : overridden, dirty, true) == RenewOutcome.Ok ? 200 : 404, null);
            case ReplicationTask.DeleteStatusOverride:
                return (registry.DeleteStatusOverride(app, id, status, dirty, true) == RenewOutcome.Ok ? 200 : 404, null);
            default:
                return (400, null);
        }
    }

    private static JsonNode? ToJson(InstanceView view)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) EurekaJsonWriter.WriteInstance(w, view);
        return JsonNode.Parse(buffer.ToArray());
    }
}
