using System.Text.Json;

namespace Platform.Contracts.Resources;

/// <summary><c>spec</c> of a <see cref="KafkaConnector"/>.</summary>
public sealed record KafkaConnectorSpec
{
    /// <summary>The connector plugin (<c>io.confluent.connect.jdbc.JdbcSinkConnector</c>, or its simple name); required.</summary>
    public string? Class { get; init; }

    /// <summary>The most tasks the connector may run, at least 1 (Connect's <c>tasks.max</c>; unset: 1).</summary>
    public int? TasksMax { get; init; }

    /// <summary>The connector's configuration, every value a string (the Connect REST API's form); <c>connector.class</c> and <c>tasks.max</c> come from the fields above.</summary>
    public Dictionary<string, JsonElement>? Config { get; init; }

    /// <summary><c>running</c> (the default), <c>paused</c> or <c>stopped</c>: the connector's target state on the workers.</summary>
    public string? State { get; init; }
}
