namespace Platform.Contracts.Resources;

/// <summary><c>status</c> of a <see cref="KafkaTopic"/>, written by the topic controller from what the broker answers.</summary>
public sealed record KafkaTopicStatus
{
    /// <summary><c>Ready</c>, with the reason it is not (<c>TopicClaimedElsewhere</c>, <c>PartitionDecreaseNotSupported</c>, <c>KafkaError</c>).</summary>
    public List<Condition>? Conditions { get; init; }
    public long? ObservedGeneration { get; init; }
    /// <summary>The broker topic this resource manages.</summary>
    public string? TopicName { get; init; }
    /// <summary>The partitions the broker reports for the topic.</summary>
    public int? Partitions { get; init; }
    /// <summary>The replicas of the topic's first partition as the broker reports them.</summary>
    public int? Replicas { get; init; }
}
