using System.Text.Json.Serialization;

namespace Platform.Connect.Runtime;

/// <summary><c>GET /connectors/{name}</c>: Kafka Connect's ConnectorInfo.</summary>
internal sealed record ConnectorInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, string> Config,
    [property: JsonPropertyName("tasks")] IReadOnlyList<TaskId> Tasks,
    [property: JsonPropertyName("type")] string Type);

/// <summary><c>GET /connectors/{name}/status</c>: Kafka Connect's ConnectorStateInfo.</summary>
internal sealed record ConnectorStateInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("connector")] StateInfo Connector,
    [property: JsonPropertyName("tasks")] IReadOnlyList<TaskStateInfo> Tasks,
    [property: JsonPropertyName("type")] string Type);

internal sealed record StateInfo(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("worker_id")] string WorkerId,
    [property: JsonPropertyName("trace"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Trace = null);

internal sealed record TaskStateInfo(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("worker_id")] string WorkerId,
    [property: JsonPropertyName("trace"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Trace = null);

/// <summary><c>GET /connectors/{name}/tasks</c>: one entry per task.</summary>
internal sealed record TaskInfo(
    [property: JsonPropertyName("id")] TaskId Id,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, string> Config);
