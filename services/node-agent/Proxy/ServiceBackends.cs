using System.Net;

namespace Platform.NodeAgent.Proxy;

/// <summary>
/// The backends of one Service port: picked round robin, or pinned per client IP with <c>sessionAffinity: ClientIP</c>;
/// every relayed connection is tracked under its backend, so a backend that leaves closes its connections.
/// </summary>
internal sealed class ServiceBackends(string name, TimeProvider time)
{
    /// <summary>Pins beyond this many (distinct live clients) are not remembered: such clients get round robin.</summary>
    private const int MaxPins = 65536;

    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, (IPEndPoint Backend, long Until)> _pins = [];
    private readonly Dictionary<IPEndPoint, HashSet<CancellationTokenSource>> _live = [];
    private IPEndPoint[] _backends = [];
    private TimeSpan? _affinity;
    private int _next;

    /// <summary><c>namespace/service:port</c>, for logs.</summary>
    public string Name => name;

    public IReadOnlyList<IPEndPoint> Backends
    {
        get { lock (_lock) return _backends; }
    }

    /// <summary>Replaces the backends (and the affinity timeout, null for none); connections to backends gone are closed.</summary>
    public void Update(IReadOnlyList<IPEndPoint> backends, TimeSpan? affinity)
    {
        List<CancellationTokenSource> close = [];
        lock (_lock)
        {
            var now = backends.ToHashSet();
            if (!now.SetEquals(_backends)) _backends = [.. backends];
            _affinity = affinity;
            if (affinity is null) _pins.Clear();
            foreach (var gone in _pins.Where(p => !now.Contains(p.Value.Backend)).Select(p => p.Key).ToList()) _pins.Remove(gone);
            foreach (var (backend, conns) in _live.Where(l => !now.Contains(l.Key)).ToList())
            {
                close.AddRange(conns);
                _live.Remove(backend);
            }
        }
        Cancel(close);
    }

    /// <summary>The backend for a new connection from <paramref name="client"/>; null when none is ready.</summary>
    public IPEndPoint? Pick(IPAddress client)
    {
        lock (_lock)
        {
            if (_backends.Length == 0) return null;
            var nowTs = time.GetTimestamp();
            if (_affinity is { } ttl && _pins.TryGetValue(client, out var pin) && time.GetElapsedTime(pin.Until) < TimeSpan.Zero)
            {
                _pins[client] = (pin.Backend, nowTs + (long)(ttl.TotalSeconds * time.TimestampFrequency));
                return pin.Backend;
            }
            var backend = _backends[(int)((uint)_next++ % (uint)_backends.Length)];
            if (_affinity is { } timeout)
            {
                if (_pins.Count >= MaxPins) PruneExpired();
                if (_pins.Count < MaxPins) _pins[client] = (backend, nowTs + (long)(timeout.TotalSeconds * time.TimestampFrequency));
            }
            return backend;
        }
    }

    /// <summary>Registers a live connection to <paramref name="backend"/>; cancelled at once if the backend has left meanwhile.</summary>
    public IDisposable Track(IPEndPoint backend, CancellationTokenSource connection)
    {
        bool gone;
        lock (_lock)
        {
            gone = !_backends.Contains(backend);
            if (!gone)
            {
                if (!_live.TryGetValue(backend, out var set)) _live[backend] = set = [];
                set.Add(connection);
            }
        }
        if (gone) Cancel([connection]);
        return new Untrack(this, backend, connection);
    }

    /// <summary>Connections open per backend.</summary>
    public int LiveConnections(IPEndPoint backend)
    {
        lock (_lock) return _live.TryGetValue(backend, out var set) ? set.Count : 0;
    }

    /// <summary>The Service port is gone: every connection closes.</summary>
    public void CloseAll() => Update([], null);

    private void PruneExpired()
    {
        foreach (var client in _pins.Where(p => time.GetElapsedTime(p.Value.Until) >= TimeSpan.Zero).Select(p => p.Key).ToList()) _pins.Remove(client);
    }

    private static void Cancel(IEnumerable<CancellationTokenSource> connections)
    {
        foreach (var c in connections)
        {
            try
            {
                c.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private sealed class Untrack(ServiceBackends owner, IPEndPoint backend, CancellationTokenSource connection) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
                if (owner._live.TryGetValue(backend, out var set) && set.Remove(connection) && set.Count == 0) owner._live.Remove(backend);
        }
    }
}
