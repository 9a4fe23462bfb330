namespace Platform.Outbox;

/// <summary>Relay settings, bound from <c>Outbox</c>.</summary>
public sealed class OutboxRelayOptions
{
    public const string Section = "Outbox";

    /// <summary><c>Outbox:BatchSize</c>: rows read and published per round.</summary>
    public int BatchSize { get; set; } = 2000;
    /// <summary><c>Outbox:IdleWakeup</c>: a safety net; the relay normally wakes on NOTIFY, not on this timer.</summary>
    public TimeSpan IdleWakeup { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary><c>Outbox:Retention</c>: how long published rows are kept before being purged.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);
    /// <summary><c>Outbox:MaxBackoff</c>: upper bound of the retry delay while Postgres or Kafka is unreachable.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary><c>Outbox:LockKey</c>: advisory lock that makes one relay active per database.</summary>
    public long LockKey { get; set; } = 7070002;
}
