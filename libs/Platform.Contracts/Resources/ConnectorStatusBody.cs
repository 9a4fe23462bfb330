using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

/// <summary>The Kafka Connect REST API's connector status: <c>{"name","connector":{"state","worker_id"},"tasks":[...],"type"}</c>.</summary>
public sealed record ConnectorStatusBody
{
    public string? Name { get; init; }
    public ConnectorStateInfo? Connector { get; init; }
    public List<ConnectorStateInfo>? Tasks { get; init; }
    /// <summary><c>source</c> or <c>sink</c>.</summary>
    public string? Type { get; init; }
}

/// <summary>The state of a connector or one of its tasks (<c>RUNNING</c>, <c>PAUSED</c>, <c>STOPPED</c>, <c>FAILED</c>, <c>UNASSIGNED</c>, <c>RESTARTING</c>).</summary>
public sealed record ConnectorStateInfo
{
    /// <summary>The task's number (tasks only).</summary>
    public int? Id { get; init; }
    public string? State { get; init; }
    [JsonPropertyName("worker_id")]
    public string? WorkerId { get; init; }
    /// <summary>The failure's stack trace, for a <c>FAILED</c> state.</summary>
    public string? Trace { get; init; }
}
