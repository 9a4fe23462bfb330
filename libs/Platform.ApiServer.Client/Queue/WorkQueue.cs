namespace Platform.ApiServer.Client.Queue;

/// <summary>
/// client-go's rate-limited work queue: a key is queued at most once, never handed to two workers at a time (a key
/// added while it is processed is queued again on <see cref="Done"/>), and a failed key comes back after a per-key
/// exponential back-off that <see cref="Forget"/> resets.
/// </summary>
public sealed class WorkQueue(TimeProvider time, TimeSpan baseDelay, TimeSpan maxDelay) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly LinkedList<string> _queue = new();
    private readonly HashSet<string> _dirty = [];
    private readonly HashSet<string> _processing = [];
    private readonly Dictionary<string, int> _failures = [];
    private readonly HashSet<ITimer> _timers = [];
    private readonly SemaphoreSlim _available = new(0);
    private bool _shutDown;

    public void Add(string key)
    {
        lock (_lock)
        {
            if (_shutDown || !_dirty.Add(key) || _processing.Contains(key)) return;
            _queue.AddLast(key);
        }
        _available.Release();
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            if (_shutDown) return;
            ITimer? timer = null;
            timer = time.CreateTimer(_ =>
            {
                lock (_lock) _timers.Remove(timer!);
                timer!.Dispose();
                Add(key);
            }, null, delay, Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    /// <summary>Re-queues a failed key after base·2^(failures-1), capped.</summary>
    public void AddRateLimited(string key)
    {
        int n;
        lock (_lock) n = _failures[key] = _failures.GetValueOrDefault(key) + 1;
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Min(n - 1, 30)), maxDelay.Ticks));
        AddAfter(key, delay);
    }

    public int Failures(string key)
    {
        lock (_lock) return _failures.GetValueOrDefault(key);
    }

    public void Forget(string key)
    {
        lock (_lock) _failures.Remove(key);
    }

    /// <summary>The next key to process, or null once shut down.</summary>
    public async Task<string?> GetAsync(CancellationToken ct)
    {
        while (true)
        {
            await _available.WaitAsync(ct);
            lock (_lock)
            {
                if (_shutDown) return null;
                if (_queue.First is not { } first) continue;
                _queue.RemoveFirst();
                _dirty.Remove(first.Value);
                _processing.Add(first.Value);
                return first.Value;
            }
        }
    }

    public void Done(string key)
    {
        bool requeue;
        lock (_lock)
        {
            _processing.Remove(key);
            requeue = _dirty.Contains(key) && !_shutDown;
            if (requeue) _queue.AddLast(key);
        }
        if (requeue) _available.Release();
    }

    public int Count
    {
        get { lock (_lock) return _queue.Count; }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _shutDown = true;
            foreach (var t in _timers) t.Dispose();
            _timers.Clear();
        }
        // Workers have stopped with the host's token by now; nothing waits on the semaphore any more.
        _available.Dispose();
    }
}
