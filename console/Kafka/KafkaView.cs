namespace Platform.Console.Kafka;

/// <summary>A partition of a topic: its leader, replicas, in-sync replicas and low/high watermarks.</summary>
internal sealed record PartitionView(int Id, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSync, long Low, long High)
{
    /// <summary>Messages retained (high minus low watermark).</summary>
    public long Retained => Math.Max(0, High - Low);
}

/// <summary>A topic: partitions, replication factor, and the configs set on it (those not at their default).</summary>
internal sealed record TopicView(string Name, IReadOnlyList<PartitionView> Partitions, IReadOnlyList<KeyValuePair<string, string>> Configs)
{
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions.Max(p => p.Replicas.Count);
    public bool UnderReplicated => Partitions.Any(p => p.InSync.Count < p.Replicas.Count);
}

/// <summary>A consumer group's committed offset on one partition against the partition's high watermark.</summary>
internal sealed record PartitionLag(string Topic, int Partition, long Committed, long High)
{
    /// <summary>High watermark minus committed offset; null when the group has committed nothing there.</summary>
    public long? Lag => Committed < 0 ? null : Math.Max(0, High - Committed);
}

/// <summary>A consumer group, its state, and its lag per partition.</summary>
internal sealed record GroupView(string Group, string State, IReadOnlyList<PartitionLag> Partitions, string? Error = null)
{
    public long TotalLag => Partitions.Sum(p => p.Lag ?? 0);
}

/// <summary>What one read of the cluster gave; each part that failed says why instead.</summary>
internal sealed record KafkaSnapshot(IReadOnlyList<TopicView> Topics, IReadOnlyList<GroupView> Groups, string? ConfigsError, string? GroupsError);
