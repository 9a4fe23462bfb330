namespace Platform.Gateway.Resilience;

/// <summary>
/// The response timeout of one forwarding attempt: it runs from the start, restarts on each read of the request body
/// (so it measures from the request sent, as Spring's does) and stops when the response headers arrive.
/// </summary>
internal sealed class ResponseDeadline : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeSpan _timeout;
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private bool _stopped;

    public ResponseDeadline(TimeSpan timeout, TimeProvider time, CancellationToken clientAborted)
    {
        _timeout = timeout;
        _timer = new CancellationTokenSource(timeout, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timer.Token);
    }

    /// <summary>Canceled when the client goes away or the timeout passes.</summary>
    public CancellationToken Token => _linked.Token;

    public TimeSpan Timeout => _timeout;

    public bool Expired => _timer.IsCancellationRequested;

    /// <summary>The request body moved on: the wait for the answer starts again.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            if (!_stopped) _timer.CancelAfter(_timeout);
        }
    }

    /// <summary>The response headers arrived; from here the body streams under YARP's activity timeout.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            _timer.CancelAfter(System.Threading.Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        // The request body may still be read by a copy YARP abandoned; a stopped deadline ignores it.
        lock (_gate) _stopped = true;
        _linked.Dispose();
        _timer.Dispose();
    }
}
