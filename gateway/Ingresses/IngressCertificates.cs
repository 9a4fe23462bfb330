using System.Security.Cryptography.X509Certificates;

namespace Platform.Gateway.Ingresses;

/// <summary>
/// The certificates of the served Ingresses' <c>spec.tls</c> and Gateways' HTTPS listeners
/// (<see cref="GatewayApi.ListenerCertificates"/>, keyed <c>gateway:ns/name</c>), by host, for the HTTPS listener's SNI
/// selection (<c>Gateway:Ingress:HttpsUrl</c>). An exact host wins over a wildcard (<c>*.example.com</c> covers one label); a
/// host two Ingresses claim goes to the older one; a <c>tls</c> entry without hosts is the fallback for names nothing
/// else covers. Lookups read an immutable snapshot, rebuilt on each change.
/// </summary>
internal sealed class IngressCertificates
{
    private sealed record Entry(string Ingress, DateTimeOffset Created, IReadOnlyList<string> Hosts, X509Certificate2 Certificate);

    private sealed record Snapshot(Dictionary<string, X509Certificate2> Exact, Dictionary<string, X509Certificate2> Wildcard, X509Certificate2? Fallback);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Entry>> _byIngress = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = new([], [], null);

    /// <summary>Replaces what the Ingress <paramref name="key"/> serves: each (hosts, certificate) of its <c>spec.tls</c>.</summary>
    public void Set(string key, DateTimeOffset created, IReadOnlyList<(IReadOnlyList<string> Hosts, X509Certificate2 Certificate)> entries)
    {
        lock (_lock)
        {
            if (entries.Count == 0) _byIngress.Remove(key);
            else _byIngress[key] = [.. entries.Select(e => new Entry(key, created, e.Hosts, e.Certificate))];
            Rebuild();
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            if (_byIngress.Remove(key)) Rebuild();
        }
    }

    /// <summary>The certificate for the name the client asked for in its TLS hello (SNI), or null: the handshake is refused.</summary>
    public X509Certificate2? Select(string? serverName)
    {
        var s = _snapshot;
        if (serverName is { Length: > 0 } name)
        {
            name = name.TrimEnd('.').ToLowerInvariant();
            if (s.Exact.TryGetValue(name, out var exact)) return exact;
            var dot = name.IndexOf('.');
            if (dot > 0 && s.Wildcard.TryGetValue(name[(dot + 1)..], out var wildcard)) return wildcard;
        }
        return s.Fallback;
    }

    private void Rebuild()
    {
        var exact = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        X509Certificate2? fallback = null;
        foreach (var e in _byIngress.Values.SelectMany(l => l).OrderBy(e => e.Created).ThenBy(e => e.Ingress, StringComparer.Ordinal))
        {
            if (e.Hosts.Count == 0) fallback ??= e.Certificate;
            foreach (var host in e.Hosts.Select(h => h.ToLowerInvariant()))
            {
                if (host.StartsWith("*.", StringComparison.Ordinal)) wildcard.TryAdd(host[2..], e.Certificate);
                else exact.TryAdd(host, e.Certificate);
            }
        }
        _snapshot = new Snapshot(exact, wildcard, fallback);
    }
}
