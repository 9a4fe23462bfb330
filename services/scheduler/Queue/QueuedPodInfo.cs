namespace Platform.Scheduler.Queue;

/// <summary>A pending pod in the queue with its attempt count and timestamps (for FIFO order and back-off).</summary>
internal sealed class QueuedPodInfo(PodInfo pod, DateTimeOffset enqueued)
{
    public PodInfo Pod { get; set; } = pod;
    public string Key => Pod.Key;
    /// <summary>When the pod first entered the queue: FIFO order among equal priorities, and the scheduling latency.</summary>
    public DateTimeOffset InitialTimestamp { get; } = enqueued;
    /// <summary>When it last entered the active queue; FIFO tie-breaker.</summary>
    public long Sequence { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset LastAttempt { get; set; }
    /// <summary>Set when the pod's spec or labels changed while it was being scheduled: a failure then retries soon.</summary>
    public bool UpdatedInFlight { get; set; }
    public bool DeletedInFlight { get; set; }
    /// <summary>Identifies the current heap entry; stale entries (lazy deletion) are skipped.</summary>
    public long Stamp { get; set; }
}
