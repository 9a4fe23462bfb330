using Confluent.Kafka;

namespace Platform.EventBus.Consuming;

/// <summary>Settings of one consumer: its group, its topics and how it retries and dead-letters.</summary>
public sealed class EventConsumerOptions
{
    public string GroupId { get; set; } = "";
    public IList<string> Topics { get; } = [];
    /// <summary>Attempts before a message goes to <c>&lt;topic&gt;.dlq</c>.</summary>
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
    public AutoOffsetReset AutoOffsetReset { get; set; } = AutoOffsetReset.Earliest;
    /// <summary>Stored offsets are committed at most this often (and always on revoke and shutdown).</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long the group waits for a silent member before giving its partitions to others. Shorter than Kafka's
    /// 45 s default because a member that died (kill -9) should be replaced quickly; heartbeats go every third of it.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(GroupId)) errors.Add("GroupId: required");
        if (Topics.Count == 0) errors.Add("Topics: at least one topic required");
        if (MaxAttempts < 1) errors.Add("MaxAttempts: must be >= 1");
        if (InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff) errors.Add("InitialBackoff/MaxBackoff: must be > 0 and Max >= Initial");
        if (errors.Count > 0) throw new ArgumentException("invalid event consumer options: " + string.Join("; ", errors));
    }
}
