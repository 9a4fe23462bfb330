using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Connect.Runtime;
using Platform.Connect.Storage;

namespace Platform.Connect.Api;

/// <summary>Kafka Connect's ConnectorsResource: <c>/connectors</c> and everything under it, shape for shape.</summary>
internal static class ConnectorsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var g = api.MapGroup("/connectors");
        g.MapGet("", List);
        g.MapPost("", Create);
        g.MapGet("/{name}", Get);
        g.MapGet("/{name}/config", GetConfig);
        g.MapPut("/{name}/config", PutConfig);
        g.MapGet("/{name}/status", Status);
        g.MapPut("/{name}/pause", (string name, Herder h, CancellationToken ct) => SetState(name, TargetState.Paused, h, ct));
        g.MapPut("/{name}/resume", (string name, Herder h, CancellationToken ct) => SetState(name, TargetState.Started, h, ct));
        g.MapPut("/{name}/stop", (string name, Herder h, CancellationToken ct) => SetState(name, TargetState.Stopped, h, ct));
        g.MapPost("/{name}/restart", Restart);
        g.MapGet("/{name}/tasks", Tasks);
        g.MapGet("/{name}/tasks/{task}/status", TaskStatus);
        g.MapPost("/{name}/tasks/{task}/restart", RestartTask);
        g.MapDelete("/{name}", Delete);
        g.MapGet("/{name}/offsets", Offsets);
        g.MapDelete("/{name}/offsets", ResetOffsets);
    }

    private static IResult List(HttpRequest request, Herder herder)
    {
        var names = herder.Snapshot.Connectors.Keys.Order(StringComparer.Ordinal).ToList();
        var expand = request.Query["expand"].Where(e => e is not null).Select(e => e!).ToList();
        var unknown = expand.FirstOrDefault(e => e is not ("status" or "info"));
        if (unknown is not null) throw new ConnectRestException(400, $"expand: '{unknown}' is not one of status, info");
        if (expand.Count == 0) return TypedResults.Json(names);
        var result = new JsonObject();
        foreach (var name in names)
        {
            var entry = new JsonObject();
            try
            {
                if (expand.Contains("status")) entry["status"] = JsonSerializer.SerializeToNode(herder.Status(name));
                if (expand.Contains("info")) entry["info"] = JsonSerializer.SerializeToNode(herder.Info(name));
            }
            catch (ConnectRestException ex) when (ex.Status == 404)
            {
                // Deleted between listing and expanding, or no status written yet: listed without it, as Kafka does.
            }
            result[name] = entry;
        }
        return TypedResults.Json(result);
    }

    private static async Task<IResult> Create(HttpRequest request, RequestBody body, Herder herder, CancellationToken ct)
    {
        herder.EnsureStable();
        var json = await body.ReadAsync(request, ct);
        if (json.ValueKind != JsonValueKind.Object) throw new ConnectRestException(400, "Request body must be a JSON object with \"name\" and \"config\"");
        var name = json.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
        var config = json.TryGetProperty("config", out var c) ? RequestBody.Config(c, "config") : null;
        if (config is null) throw new ConnectRestException(400, "config: required (the connector's configuration object)");
        name ??= config.GetValueOrDefault(ConnectorConfig.Name);
        ValidateName(name);
        if (config.TryGetValue(ConnectorConfig.Name, out var inConfig) && inConfig != name)
            throw new ConnectRestException(400, $"Connector name configuration ({inConfig}) doesn't match connector name in the URL ({name})");
        config[ConnectorConfig.Name] = name!;
        var (info, _) = await herder.PutConfigAsync(name!, config, allowReplace: false, ct);
        return TypedResults.Created($"/connectors/{Uri.EscapeDataString(name!)}", info);
    }

    private static IResult Get(string name, Herder herder) => TypedResults.Json(herder.Info(name));

    private static IResult GetConfig(string name, Herder herder) => TypedResults.Json(herder.ConfigOf(name));

    private static async Task<IResult> PutConfig(string name, HttpRequest request, RequestBody body, Herder herder, CancellationToken ct)
    {
        herder.EnsureStable();
        ValidateName(name);
        var config = RequestBody.Config(await body.ReadAsync(request, ct), "config");
        if (config.TryGetValue(ConnectorConfig.Name, out var inConfig) && inConfig != name)
            throw new ConnectRestException(400, $"Connector name configuration ({inConfig}) doesn't match connector name in the URL ({name})");
        config[ConnectorConfig.Name] = name;
        var (info, created) = await herder.PutConfigAsync(name, config, allowReplace: true, ct);
        return created ? TypedResults.Created($"/connectors/{Uri.EscapeDataString(name)}", info) : TypedResults.Json(info);
    }

    private static IResult Status(string name, Herder herder) => TypedResults.Json(herder.Status(name));

    private static async Task<IResult> SetState(string name, TargetState state, Herder herder, CancellationToken ct)
    {
        await herder.SetTargetStateAsync(name, state, ct);
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<IResult> Restart(string name, HttpRequest request, Herder herder, CancellationToken ct)
    {
        var includeTasks = BoolQuery(request, "includeTasks");
        var onlyFailed = BoolQuery(request, "onlyFailed");
        var plan = await herder.RestartAsync(name, includeTasks, onlyFailed, ct);
        // Kafka keeps the old answer for the old call: a plain restart is 204 without a body.
        return !includeTasks && !onlyFailed ? TypedResults.NoContent() : TypedResults.Json(plan, statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Tasks(string name, Herder herder) => TypedResults.Json(herder.Tasks(name));

    private static IResult TaskStatus(string name, string task, Herder herder)
    {
        var id = TaskNumber(task);
        var tasks = herder.Snapshot.TasksOf(name);
        if (!herder.Snapshot.Contains(name)) throw ConnectRestException.NotFound(name);
        if (id >= tasks.Count) throw new ConnectRestException(404, $"No status found for task {name}-{id}");
        return TypedResults.Json(herder.TaskStatus(name, id));
    }

    private static async Task<IResult> RestartTask(string name, string task, Herder herder, CancellationToken ct)
    {
        await herder.RestartTaskAsync(name, TaskNumber(task), ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Delete(string name, Herder herder, CancellationToken ct)
    {
        await herder.DeleteAsync(name, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Offsets(string name, Herder herder, CancellationToken ct) =>
        TypedResults.Json(await herder.OffsetsAsync(name, ct));

    private static async Task<IResult> ResetOffsets(string name, Herder herder, CancellationToken ct)
    {
        await herder.ResetOffsetsAsync(name, ct);
        return TypedResults.Json(new { message = "The offsets for this connector have been reset successfully" });
    }

    private static void ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ConnectRestException(400, "name: connector name must be specified and may not be empty");
        if (name.Any(char.IsControl)) throw new ConnectRestException(400, "name: connector name should not contain ISO control characters");
        if (name.Length > 249) throw new ConnectRestException(400, "name: connector name may be at most 249 characters");
    }

    private static int TaskNumber(string task) =>
        int.TryParse(task, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : throw new ConnectRestException(400, $"task: '{task}' is not a task number");

    private static bool BoolQuery(HttpRequest request, string key)
    {
        var raw = request.Query[key].ToString();
        if (raw.Length == 0) return false;
        return bool.TryParse(raw, out var value) ? value : throw new ConnectRestException(400, $"{key}: '{raw}' is not true or false");
    }
}
