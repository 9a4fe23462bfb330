namespace Platform.Contracts.Resources;

/// <summary>
/// <c>kafka.platform.io/v1 KafkaTopic</c>, in the shape of Strimzi's <c>kafka.strimzi.io/v1beta2</c> KafkaTopic: a
/// topic on the platform's broker, created, altered and deleted by the controller-manager's topic controller. The
/// broker topic is <see cref="KafkaTopicSpec.TopicName"/> or the resource's name; topic names are cluster-wide, so
/// the first resource to claim a name owns it and a later claim from any namespace stays
/// <c>Ready=False</c> with reason <c>TopicClaimedElsewhere</c>.
/// </summary>
public sealed record KafkaTopic : Resource
{
    /// <summary>The condition saying whether the broker's topic matches the spec.</summary>
    public const string ReadyCondition = "Ready";

    /// <summary>The finalizer that keeps the resource until its broker topic is deleted.</summary>
    public const string Finalizer = "kafka.platform.io/topic";

    /// <summary>Reason of <c>Ready=False</c> when another KafkaTopic already owns the broker topic's name.</summary>
    public const string ClaimedElsewhereReason = "TopicClaimedElsewhere";

    /// <summary>Reason of <c>Ready=False</c> when the spec asks for fewer partitions than the topic has.</summary>
    public const string PartitionDecreaseReason = "PartitionDecreaseNotSupported";

    public KafkaTopicSpec Spec { get; init; } = new();
    public KafkaTopicStatus? Status { get; init; }

    /// <summary>The broker topic this resource stands for.</summary>
    public string BrokerTopicName => Spec.TopicName is { Length: > 0 } t ? t : Metadata.Name ?? "";
}
