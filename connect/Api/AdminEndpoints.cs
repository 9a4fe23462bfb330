using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Connect.Runtime;

namespace Platform.Connect.Api;

/// <summary><c>GET /</c> (open) and Kafka Connect's LoggingResource under <c>/admin/loggers</c>.</summary>
internal static class AdminEndpoints
{
    /// <summary>The Kafka Connect REST API version this worker implements.</summary>
    public const string ConnectVersion = "3.9.0";

    public static void MapRoot(IEndpointRouteBuilder app) => app.MapGet("/", (Herder herder) => TypedResults.Json(new JsonObject
    {
        ["version"] = ConnectVersion,
        ["commit"] = typeof(AdminEndpoints).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["kafka_cluster_id"] = herder.KafkaClusterId,
    })).AddEndpointFilter<ConnectErrorFilter>();

    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("/admin/loggers");
        g.MapGet("", (LoggerLevels levels) => TypedResults.Json(All(levels)));
        g.MapGet("/{logger}", (string logger, LoggerLevels levels) =>
            TypedResults.Json(new JsonObject { ["level"] = LoggerLevels.Name(levels.LevelOf(logger)) }));
        g.MapPut("/{logger}", SetLevel);
    }

    private static JsonObject All(LoggerLevels levels)
    {
        var result = new JsonObject();
        foreach (var (name, (level, modified)) in levels.All().OrderBy(l => l.Key, StringComparer.Ordinal))
            result[name] = new JsonObject { ["level"] = LoggerLevels.Name(level), ["last_modified"] = modified };
        return result;
    }

    private static async Task<IResult> SetLevel(string logger, HttpRequest request, RequestBody body, LoggerLevels levels, TimeProvider time, CancellationToken ct)
    {
        var json = await body.ReadAsync(request, ct);
        var raw = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("level", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        if (raw is null) throw new ConnectRestException(400, "The request body must specify a log level");
        var level = LoggerLevels.Parse(raw) ?? throw new ConnectRestException(404, $"Invalid log level '{raw}'.");
        var scope = request.Query["scope"].ToString();
        if (scope.Length > 0 && scope is not ("worker" or "cluster"))
            throw new ConnectRestException(400, $"scope: '{scope}' is not one of worker, cluster");
        return TypedResults.Json(levels.Set(logger, level, time.GetUtcNow().ToUnixTimeMilliseconds()));
    }
}
