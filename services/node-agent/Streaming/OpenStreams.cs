namespace Platform.NodeAgent.Streaming;

/// <summary>Counts the streams in progress, so a shutdown can wait until the last one has ended.</summary>
internal sealed class OpenStreams
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource _none = Done();

    /// <summary>One more stream, until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        lock (_gate)
        {
            if (_count++ == 0) _none = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Handle(this);
    }

    public Task DrainAsync(CancellationToken ct)
    {
        lock (_gate) return _none.Task.WaitAsync(ct);
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_count == 0) _none.TrySetResult();
        }
    }

    private static TaskCompletionSource Done()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private sealed class Handle(OpenStreams owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Exit();
        }
    }
}
