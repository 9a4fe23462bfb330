using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Platform.NodeAgent.Ports;

/// <summary>
/// Hands out host ports from <c>NodeAgent:PortRange</c> (ports are a node resource, as in Borg, because every pod
/// shares the host network). A port some other process already listens on is skipped.
/// </summary>
internal sealed class PortAllocator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, string> _owners = [];
    private readonly int _first;
    private readonly int _last;
    private int _next;

    public PortAllocator(IOptions<NodeAgentOptions> options)
    {
        (_first, _last) = options.Value.ParsedPortRange;
        _next = _first;
    }

    /// <summary>One port per name for <paramref name="podUid"/>; throws when the range is exhausted.</summary>
    public Dictionary<string, int> Allocate(string podUid, IReadOnlyList<string> names)
    {
        lock (_lock)
        {
            var result = new Dictionary<string, int>();
            var size = _last - _first + 1;
            foreach (var name in names)
            {
                var found = false;
                for (var i = 0; i < size && !found; i++)
                {
                    var port = _next;
                    _next = _next == _last ? _first : _next + 1;
                    if (_owners.ContainsKey(port) || !IsFree(port)) continue;
                    _owners[port] = podUid;
                    result[name] = port;
                    found = true;
                }
                if (!found)
                {
                    foreach (var p in result.Values) _owners.Remove(p);
                    throw new InvalidOperationException($"no free host port left in {_first}-{_last}");
                }
            }
            return result;
        }
    }

    /// <summary>Marks ports found on adopted containers as taken.</summary>
    public void Reserve(string podUid, IEnumerable<int> ports)
    {
        lock (_lock)
            foreach (var p in ports) _owners[p] = podUid;
    }

    public void Release(string podUid)
    {
        lock (_lock)
            foreach (var p in _owners.Where(kv => kv.Value == podUid).Select(kv => kv.Key).ToList()) _owners.Remove(p);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Any, port);
            l.Start();
            l.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
