namespace Platform.Contracts.Resources;

/// <summary>
/// <c>kafka.platform.io/v1 KafkaConnector</c>, in the shape of Strimzi's <c>kafka.strimzi.io/v1beta2</c>
/// KafkaConnector: a connector of the platform's Kafka Connect cluster, configured through the Connect REST API by the
/// controller-manager's connector controller. On the workers the connector is named <c>&lt;namespace&gt;.&lt;name&gt;</c>
/// (see <see cref="ConnectorName"/>), so two namespaces may each have a connector of the same name.
/// </summary>
public sealed record KafkaConnector : Resource
{
    public const string ReadyCondition = "Ready";

    /// <summary>The finalizer that keeps the resource until its connector is deleted from the workers.</summary>
    public const string Finalizer = "kafka.platform.io/connector";

    /// <summary>The values of <see cref="KafkaConnectorSpec.State"/>.</summary>
    public static readonly string[] States = ["running", "paused", "stopped"];

    public KafkaConnectorSpec Spec { get; init; } = new();
    public KafkaConnectorStatus? Status { get; init; }

    /// <summary>The connector's name on the Connect workers: <c>&lt;namespace&gt;.&lt;name&gt;</c>.</summary>
    public string ConnectorName => ConnectorNameOf(Metadata.Namespace ?? "", Metadata.Name ?? "");

    public static string ConnectorNameOf(string ns, string name) => $"{ns}.{name}";
}
