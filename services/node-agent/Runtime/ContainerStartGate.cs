namespace Platform.NodeAgent.Runtime;

/// <summary>
/// Bounds how many container starts (a pod's sandbox or one of its containers: create, start, wire) run at once on
/// this node, and hands a free slot to the oldest pod waiting, not to whichever asked first.
/// <para>
/// A container start is mostly CPU in runc and the shim. Started all at once, twenty pods bound together share the CPU
/// and each is Ready only when most are; in order, the first are Ready after their own start. Oldest first also keeps
/// a pod whose sandbox is up from queueing its containers behind the sandboxes of pods bound after it. Measured in
/// docs/node-agent.md (bounded container starts): 30 pods at 4/s, p99 15–16 s against 22–23 s unbounded on 2 cores.
/// </para>
/// </summary>
internal sealed class ContainerStartGate
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TaskCompletionSource, (long Ticket, long Order)> _waiting = new();
    private readonly int _slots;
    private int _busy;
    private long _tickets;
    private long _order;

    /// <param name="slots">Starts at once; 0 or less lets every start through at once.</param>
    public ContainerStartGate(int slots) => _slots = slots;

    /// <summary>Starts running now (for tests and diagnostics).</summary>
    public int Busy
    {
        get { lock (_lock) return _busy; }
    }

    /// <summary>A pod's place in line: pods take tickets as their workers are made, so a lower ticket is an older pod.</summary>
    public long NextTicket() => Interlocked.Increment(ref _tickets);

    /// <summary>Waits for a slot (the lowest ticket waiting gets the next one); dispose the lease when the start is done.</summary>
    public async ValueTask<IDisposable> EnterAsync(long ticket, CancellationToken ct)
    {
        if (_slots <= 0) return Lease.None;
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_busy < _slots)
            {
                _busy++;
                return new Lease(this);
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter, (ticket, _order++));
        }
        // A cancelled waiter stays queued: Release skips it (its TrySetResult fails), so no slot is handed to nobody.
        await using (ct.Register(() => waiter.TrySetCanceled(ct)))
            await waiter.Task;
        return new Lease(this);
    }

    private void Release()
    {
        lock (_lock)
        {
            // The slot passes straight to the oldest live waiter; only when none is left does the count drop.
            while (_waiting.TryDequeue(out var next, out _))
                if (next.TrySetResult()) return;
            _busy--;
        }
    }

    private sealed class Lease(ContainerStartGate? gate) : IDisposable
    {
        public static readonly Lease None = new(null);
        private int _released;

        public void Dispose()
        {
            if (gate is not null && Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
