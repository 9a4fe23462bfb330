namespace Platform.Outbox;

/// <summary>What the relay is doing, for readiness and tests.</summary>
public sealed class OutboxRelayState
{
    private long _published;

    /// <summary>Active (holds the lock), Standby (another relay holds it), Failing (retrying after an error) or Starting.</summary>
    public string Phase { get; internal set; } = "Starting";
    public string? LastError { get; internal set; }
    public long Published => Interlocked.Read(ref _published);

    internal void AddPublished(int count) => Interlocked.Add(ref _published, count);
}
