using System.Collections.Concurrent;

namespace Platform.Discovery.Replication;

/// <summary>Which peers replication talks to and whether the last batch reached them (for the dashboard).</summary>
internal sealed class PeerStatus(TimeProvider time)
{
    private readonly ConcurrentDictionary<Uri, PeerState> _peers = new();

    public IReadOnlyCollection<PeerState> Peers => _peers.Values.OrderBy(p => p.Url.ToString(), StringComparer.Ordinal).ToList();

    public void SetPeers(IEnumerable<Uri> peers)
    {
        foreach (var p in peers) _peers.TryAdd(p, new PeerState(Redact(p), true, null, null));
    }

    public void Succeeded(Uri peer) => _peers[peer] = new PeerState(Redact(peer), true, time.GetUtcNow(), null);

    public void Failed(Uri peer, string reason) =>
        _peers[peer] = new PeerState(Redact(peer), false, _peers.TryGetValue(peer, out var s) ? s.LastSuccess : null, reason);

    private static Uri Redact(Uri u) => new UriBuilder(u) { UserName = "", Password = "" }.Uri;
}
