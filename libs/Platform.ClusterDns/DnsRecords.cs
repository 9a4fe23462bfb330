using System.Net;

namespace Platform.ClusterDns;

/// <summary>A port of a Service or of an endpoint set as DNS publishes it in SRV records.</summary>
/// <param name="Name">The port's name; only named ports have SRV records.</param>
/// <param name="Protocol">TCP, UDP or SCTP.</param>
/// <param name="Port">The Service port, or for an endpoint set the port the endpoints listen on.</param>
public sealed record DnsPort(string? Name, string Protocol, int Port);

/// <summary>What DNS needs of one Service.</summary>
/// <param name="ClusterIPs">Its ClusterIPs; empty for a headless or ExternalName Service.</param>
/// <param name="ExternalName">Set for <c>type: ExternalName</c>: the name a CNAME points at.</param>
public sealed record DnsService(
    string Namespace, string Name, IReadOnlyList<IPAddress> ClusterIPs, string? ExternalName, IReadOnlyList<DnsPort> Ports)
{
    public bool IsHeadless => ClusterIPs.Count == 0 && ExternalName is null;
}

/// <summary>One endpoint address a headless Service publishes.</summary>
/// <param name="Hostname">The endpoint's hostname (a StatefulSet pod's <c>spec.hostname</c>); none: DNS names it by its dashed address.</param>
public sealed record DnsEndpoint(IPAddress Address, string? Hostname)
{
    /// <summary>The first label of the endpoint's own name: its hostname, else <c>10-244-0-5</c> as CoreDNS names it.</summary>
    public string Label => Hostname is { Length: > 0 } h ? h : Address.ToString().Replace('.', '-').Replace(':', '-');
}

/// <summary>Endpoints sharing one set of ports (one EndpointSlice's worth).</summary>
public sealed record DnsEndpointSet(IReadOnlyList<DnsEndpoint> Endpoints, IReadOnlyList<DnsPort> Ports);

/// <summary>Where the owner of an address lives, for PTR answers.</summary>
/// <param name="Hostname">Set when the address is a headless endpoint with a name of its own.</param>
public sealed record DnsAddressOwner(string Namespace, string Service, string? Hostname);

/// <summary>
/// The cluster state DNS answers from. The host implements it over the client kit's informers (Services and
/// EndpointSlices); tests implement it in memory.
/// </summary>
public interface IDnsRecordSource
{
    DnsService? FindService(string ns, string name);

    /// <summary>Whether anything is published in the namespace (so <c>NS.svc.cluster.local</c> is a name with no data, not NXDOMAIN).</summary>
    bool HasNamespace(string ns);

    /// <summary>The endpoints a Service publishes: ready ones, or all when it publishes not-ready addresses.</summary>
    IReadOnlyList<DnsEndpointSet> FindEndpoints(string ns, string service);

    /// <summary>The Service (or headless endpoint) that owns an address, for reverse lookups.</summary>
    DnsAddressOwner? FindOwner(IPAddress address);
}
