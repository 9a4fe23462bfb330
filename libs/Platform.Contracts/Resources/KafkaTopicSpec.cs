using System.Text.Json;

namespace Platform.Contracts.Resources;

/// <summary><c>spec</c> of a <see cref="KafkaTopic"/>.</summary>
public sealed record KafkaTopicSpec
{
    /// <summary>The broker topic's name when it differs from the resource's (names with dots or upper case, say).</summary>
    public string? TopicName { get; init; }

    /// <summary>At least 1; may grow but not shrink. Unset: the broker's <c>num.partitions</c>.</summary>
    public int? Partitions { get; init; }

    /// <summary>The replication factor, at least 1; fixed once the topic exists. Unset: the broker's <c>default.replication.factor</c>.</summary>
    public int? Replicas { get; init; }

    /// <summary>Topic configs (<c>retention.ms</c>, <c>cleanup.policy</c> ...), every value a string as the broker takes them.</summary>
    public Dictionary<string, JsonElement>? Config { get; init; }
}
