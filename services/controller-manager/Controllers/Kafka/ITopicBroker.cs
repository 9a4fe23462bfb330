namespace Platform.ControllerManager.Controllers.Kafka;

/// <summary>
/// The broker's topic admin as the topic controller needs it; <see cref="AdminClientTopicBroker"/> speaks the Kafka
/// admin protocol. Calls throw <see cref="TopicBrokerException"/> with what the broker answered.
/// </summary>
internal interface ITopicBroker
{
    /// <summary>The topic as the broker has it, or null when it has no such topic.</summary>
    Task<BrokerTopic?> DescribeAsync(string topic, CancellationToken ct);

    /// <summary>Creates the topic (a null count takes the broker's default); false when it existed already (created meanwhile by someone else).</summary>
    Task<bool> CreateAsync(string topic, int? partitions, int? replicas, IReadOnlyDictionary<string, string> config, CancellationToken ct);

    /// <summary>Sets <paramref name="set"/> and removes <paramref name="delete"/> (back to the broker's defaults).</summary>
    Task AlterConfigAsync(string topic, IReadOnlyDictionary<string, string> set, IReadOnlyCollection<string> delete, CancellationToken ct);

    /// <summary>Raises the partition count to <paramref name="total"/>.</summary>
    Task CreatePartitionsAsync(string topic, int total, CancellationToken ct);

    /// <summary>Deletes the topic; no error when it is already gone.</summary>
    Task DeleteAsync(string topic, CancellationToken ct);
}

/// <summary>
/// A broker topic: its partitions, the replicas of its first partition, and the configs set on the topic itself
/// (null when the broker does not answer DescribeConfigs).
/// </summary>
internal sealed record BrokerTopic(string Name, int Partitions, int Replicas, IReadOnlyDictionary<string, string>? TopicConfigs);

/// <summary>The broker refused or could not answer an admin call; <see cref="Unsupported"/> when it does not know the call at all.</summary>
internal sealed class TopicBrokerException(string message, bool unsupported = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Unsupported { get; } = unsupported;
}
