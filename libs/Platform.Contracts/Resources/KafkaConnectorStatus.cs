namespace Platform.Contracts.Resources;

/// <summary><c>status</c> of a <see cref="KafkaConnector"/>, written by the connector controller from the Connect REST API.</summary>
public sealed record KafkaConnectorStatus
{
    /// <summary><c>Ready</c>: True when the connector and all its tasks are in the spec's state; False with the REST API's error otherwise.</summary>
    public List<Condition>? Conditions { get; init; }
    public long? ObservedGeneration { get; init; }
    /// <summary>The body of <c>GET /connectors/{name}/status</c> as the workers last answered it.</summary>
    public ConnectorStatusBody? ConnectorStatus { get; init; }
    /// <summary>The <c>tasks.max</c> the connector was configured with.</summary>
    public int? TasksMax { get; init; }
}
