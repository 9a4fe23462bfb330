namespace Platform.Scheduler.Queue;

/// <summary>
/// kube-scheduler's three queues. Active: highest priority first, then FIFO. Back-off: pods that failed wait
/// 1 s doubling to 10 s (configurable). Unschedulable: pods no node fits wait for a cluster event that could make
/// them fit (<see cref="MoveAllToActiveOrBackoff"/>); no timer moves them. A pod that fails in a cycle during which
/// such an event happened goes to back-off instead, so that event is not missed.
/// </summary>
internal sealed class SchedulingQueue(QueueOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<QueuedPodInfo, (int, long)> _active = new();
    private readonly Dictionary<string, QueuedPodInfo> _activeMap = new(StringComparer.Ordinal);
    private readonly PriorityQueue<QueuedPodInfo, DateTimeOffset> _backoff = new();
    private readonly Dictionary<string, QueuedPodInfo> _backoffMap = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedPodInfo> _unschedulable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedPodInfo> _inFlight = new(StringComparer.Ordinal);
    private TaskCompletionSource? _waiter;
    private ITimer? _backoffTimer;
    private DateTimeOffset _backoffTimerDue = DateTimeOffset.MaxValue;
    private long _sequence;
    private long _stamp;
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;

    /// <summary>Pods moved by events, by event name; for metrics and tests.</summary>
    public event Action<string, int>? Moved;

    public (int Active, int Backoff, int Unschedulable, int InFlight) Counts
    {
        get { lock (_lock) return (_activeMap.Count, _backoffMap.Count, _unschedulable.Count, _inFlight.Count); }
    }

    public bool IsUnschedulable(string key) { lock (_lock) return _unschedulable.ContainsKey(key); }

    /// <summary>A new pending pod, or an update of one: a known pod keeps its place; an unschedulable one whose spec changed is retried.</summary>
    public void AddOrUpdate(PodInfo pod)
    {
        lock (_lock)
        {
            if (_inFlight.TryGetValue(pod.Key, out var flying))
            {
                flying.UpdatedInFlight |= flying.Pod.SchedulingSignature != pod.SchedulingSignature;
                flying.Pod = pod;
                return;
            }
            if (_activeMap.TryGetValue(pod.Key, out var a)) { a.Pod = pod; return; }
            if (_backoffMap.TryGetValue(pod.Key, out var b)) { b.Pod = pod; return; }
            if (_unschedulable.TryGetValue(pod.Key, out var u))
            {
                var changed = u.Pod.SchedulingSignature != pod.SchedulingSignature;
                u.Pod = pod;
                if (changed)
                {
                    _unschedulable.Remove(pod.Key);
                    ActivateOrBackoff(u);
                }
                return;
            }
            PushActive(new QueuedPodInfo(pod, time.GetUtcNow()));
        }
    }

    public void Delete(string key)
    {
        lock (_lock)
        {
            if (_inFlight.TryGetValue(key, out var f)) f.DeletedInFlight = true;
            _activeMap.Remove(key);
            _backoffMap.Remove(key);
            _unschedulable.Remove(key);
        }
    }

    /// <summary>Waits for the next pod of the active queue and marks it in flight.</summary>
    public async Task<QueuedPodInfo> PopAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                while (_active.TryDequeue(out var qp, out _))
                {
                    if (!_activeMap.TryGetValue(qp.Key, out var current) || current.Stamp != qp.Stamp) continue;
                    _activeMap.Remove(qp.Key);
                    _inFlight[qp.Key] = qp;
                    qp.Attempts++;
                    qp.LastAttempt = time.GetUtcNow();
                    qp.UpdatedInFlight = false;
                    _schedulingCycle++;
                    return qp;
                }
                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The cycle number of the pod just popped, to pass to <see cref="AddUnschedulable"/>.</summary>
    public long SchedulingCycle { get { lock (_lock) return _schedulingCycle; } }

    /// <summary>The pod is done (bound, or gone); it leaves the in-flight set.</summary>
    public void Done(string key)
    {
        lock (_lock) _inFlight.Remove(key);
    }

    /// <summary>No node fits: wait for an event, unless one happened while the pod was in flight (then back off).</summary>
    public void AddUnschedulable(QueuedPodInfo qp, long podCycle)
    {
        lock (_lock)
        {
            _inFlight.Remove(qp.Key);
            if (qp.DeletedInFlight || Queued(qp.Key)) return;
            if (qp.UpdatedInFlight || _moveRequestCycle >= podCycle) PushBackoffOrActive(qp);
            else _unschedulable[qp.Key] = qp;
        }
    }

    /// <summary>An error (not a misfit) or a failed bind: retry after the pod's back-off.</summary>
    public void AddBackoff(QueuedPodInfo qp)
    {
        lock (_lock)
        {
            _inFlight.Remove(qp.Key);
            if (qp.DeletedInFlight || Queued(qp.Key)) return;
            PushBackoffOrActive(qp);
        }
    }

    /// <summary>A cluster event that may make unschedulable pods fit: move those <paramref name="affected"/> accepts.</summary>
    public int MoveAllToActiveOrBackoff(string evt, Func<PodInfo, bool>? affected = null)
    {
        int moved;
        lock (_lock)
        {
            var pods = _unschedulable.Values.Where(q => affected is null || affected(q.Pod)).ToList();
            foreach (var q in pods)
            {
                _unschedulable.Remove(q.Key);
                ActivateOrBackoff(q);
            }
            _moveRequestCycle = _schedulingCycle;
            moved = pods.Count;
        }
        if (moved > 0) Moved?.Invoke(evt, moved);
        return moved;
    }

    public TimeSpan BackoffOf(QueuedPodInfo qp)
    {
        var ms = options.PodInitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(Math.Max(qp.Attempts - 1, 0), 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, options.PodMaxBackoff.TotalMilliseconds));
    }

    private bool Queued(string key) => _activeMap.ContainsKey(key) || _backoffMap.ContainsKey(key) || _unschedulable.ContainsKey(key);

    private void ActivateOrBackoff(QueuedPodInfo qp) => PushBackoffOrActive(qp);

    private void PushBackoffOrActive(QueuedPodInfo qp)
    {
        var expiry = qp.LastAttempt + BackoffOf(qp);
        if (qp.Attempts == 0 || expiry <= time.GetUtcNow()) PushActive(qp);
        else PushBackoff(qp, expiry);
    }

    private void PushActive(QueuedPodInfo qp)
    {
        qp.Stamp = ++_stamp;
        qp.Sequence = ++_sequence;
        _activeMap[qp.Key] = qp;
        _active.Enqueue(qp, (-qp.Pod.Priority, qp.Sequence));
        var w = _waiter;
        _waiter = null;
        w?.TrySetResult();
    }

    private void PushBackoff(QueuedPodInfo qp, DateTimeOffset expiry)
    {
        qp.Stamp = ++_stamp;
        _backoffMap[qp.Key] = qp;
        _backoff.Enqueue(qp, expiry);
        ArmTimer(expiry);
    }

    private void ArmTimer(DateTimeOffset due)
    {
        if (due >= _backoffTimerDue) return;
        _backoffTimerDue = due;
        var delay = due - time.GetUtcNow();
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        _backoffTimer?.Dispose();
        _backoffTimer = time.CreateTimer(_ => FlushBackoff(), null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Moves pods whose back-off expired to the active queue; re-arms for the next expiry.</summary>
    internal void FlushBackoff()
    {
        lock (_lock)
        {
            _backoffTimerDue = DateTimeOffset.MaxValue;
            var now = time.GetUtcNow();
            while (_backoff.TryPeek(out var qp, out var expiry))
            {
                if (!_backoffMap.TryGetValue(qp.Key, out var current) || current.Stamp != qp.Stamp)
                {
                    _backoff.Dequeue();
                    continue;
                }
                if (expiry > now)
                {
                    ArmTimer(expiry);
                    break;
                }
                _backoff.Dequeue();
                _backoffMap.Remove(qp.Key);
                PushActive(qp);
            }
        }
    }
}
