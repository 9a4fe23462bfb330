using Platform.Discovery.Registry;

namespace Platform.Discovery.Leases;

/// <summary>
/// The lease of one instance. <see cref="Instance"/> is swapped under the registry lock; the renewal time is
/// written lock-free by heartbeats, the hot path.
/// </summary>
internal sealed class Lease(InstanceInfo instance, long nowMs)
{
    private long _lastRenewal = nowMs;

    public InstanceInfo Instance { get; set; } = instance;
    public long RegistrationTimestamp { get; set; } = nowMs;
    public long ServiceUpTimestamp { get; set; } = instance.Status == InstanceStatus.Up ? nowMs : 0;
    public long EvictionTimestamp { get; set; }
    /// <summary>The status this lease is counted under in the registry's per-status counts (null until first counted).</summary>
    public InstanceStatus? CountedStatus { get; set; }
    public long LastRenewalTimestamp => Volatile.Read(ref _lastRenewal);

    public void Renew(long nowMs) => Volatile.Write(ref _lastRenewal, nowMs);

    /// <summary>Expired once a full lease duration passed without renewal (Eureka adds it twice; we don't).</summary>
    public bool IsExpired(long nowMs) => EvictionTimestamp > 0 || nowMs > LastRenewalTimestamp + Instance.DurationInSecs * 1000L;

    public LeaseTimes Times => new(RegistrationTimestamp, LastRenewalTimestamp, EvictionTimestamp, ServiceUpTimestamp);
}
