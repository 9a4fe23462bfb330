using System.Net;

namespace Platform.NodeAgent.Proxy;

internal sealed partial class ServiceProxy
{
    /// <summary>
    /// nftables mode: the same Service ports as the listeners would serve, as DNAT rules in one transaction. A ClusterIP
    /// the dummy interface could not take is left out and retried like a listener that could not bind.
    /// </summary>
    private async Task ProgramAsync(Dictionary<IPEndPoint, string> wanted, Dictionary<string, (List<IPEndPoint> Backends, TimeSpan? Affinity)> ports,
        Dictionary<string, string> unassigned, CancellationToken ct)
    {
        var failedBefore = _bindFailed.ToHashSet();
        _bindFailed.Clear();
        var served = new List<IPEndPoint>();
        foreach (var at in wanted.Keys)
        {
            if (unassigned.TryGetValue(at.Address.ToString(), out var why))
            {
                if (!failedBefore.Contains(at)) AddressFailed(at.Address.ToString(), _addresses.Link, why);
                _bindFailed.Add(at);
            }
            else served.Add(at);
        }
        var programmed = ports.Select(p => new ProxiedPort(p.Key, [.. served.Where(at => wanted[at] == p.Key)], p.Value.Backends, p.Value.Affinity)).ToList();
        await _nft!.ApplyAsync(programmed, ct);
        lock (_listeners)
        {
            foreach (var (key, (backends, affinity)) in ports)
            {
                if (!_ports.TryGetValue(key, out var target)) _ports[key] = target = new ServiceBackends(key, _time);
                target.Update(backends, affinity);
            }
            foreach (var key in _ports.Keys.Where(k => !ports.ContainsKey(k)).ToList()) _ports.Remove(key);
            _programmed = served;
        }
        await _addresses.RemoveOthersAsync(ClusterIps(wanted.Keys).ToHashSet(StringComparer.Ordinal), ct);
    }
}
