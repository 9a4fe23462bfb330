using System.Net;

namespace Platform.ClusterDns.Tests;

/// <summary>Services and endpoint sets held in lists, standing in for the informers.</summary>
internal sealed class InMemoryDnsSource : IDnsRecordSource
{
    public List<DnsService> Services { get; } = [];
    public Dictionary<(string Ns, string Name), List<DnsEndpointSet>> Endpoints { get; } = [];

    public DnsService? FindService(string ns, string name) => Services.FirstOrDefault(s => s.Namespace == ns && s.Name == name);

    public bool HasNamespace(string ns) => Services.Any(s => s.Namespace == ns);

    public IReadOnlyList<DnsEndpointSet> FindEndpoints(string ns, string service) =>
        Endpoints.TryGetValue((ns, service), out var sets) ? sets : [];

    public DnsAddressOwner? FindOwner(IPAddress address)
    {
        if (Services.FirstOrDefault(s => s.ClusterIPs.Contains(address)) is { } svc)
            return new DnsAddressOwner(svc.Namespace, svc.Name, null);
        foreach (var ((ns, name), sets) in Endpoints)
            if (sets.SelectMany(s => s.Endpoints).FirstOrDefault(e => e.Address.Equals(address)) is { } endpoint)
                return new DnsAddressOwner(ns, name, endpoint.Label);
        return null;
    }

    /// <summary>The seeds' examples: <c>db-service</c> in <c>dev</c>, a headless <c>web</c> with two pods, an ExternalName.</summary>
    public static InMemoryDnsSource Seeded()
    {
        var source = new InMemoryDnsSource();
        source.Services.Add(new DnsService("dev", "db-service", [IPAddress.Parse("10.96.0.20")], null,
            [new DnsPort("mysql", "TCP", 3306), new DnsPort(null, "TCP", 8080)]));
        source.Services.Add(new DnsService("dev", "web", [], null, [new DnsPort("http", "TCP", 80)]));
        source.Endpoints[("dev", "web")] =
        [
            new DnsEndpointSet(
                [new DnsEndpoint(IPAddress.Parse("10.244.0.5"), "web-0"), new DnsEndpoint(IPAddress.Parse("10.244.0.6"), null)],
                [new DnsPort("http", "TCP", 8080)]),
        ];
        source.Services.Add(new DnsService("dev", "search", [], "search.example.org", []));
        return source;
    }
}
