using System.Net;
using Platform.ApiServer.Client.Informers;
using Platform.Contracts.Resources;

namespace Platform.ClusterDns;

/// <summary>
/// DNS answers from the client kit's Service and EndpointSlice informers: a Service's ClusterIPs, its slices' ready
/// endpoints (for headless Services) and their ports; reverse lookups through an index of the addresses.
/// </summary>
public sealed class InformerDnsRecordSource : IDnsRecordSource
{
    private const string ClusterIpIndex = "spec.clusterIPs";
    private const string AddressIndex = "endpoints.addresses";
    private readonly Informer<Service> _services;
    private readonly Informer<EndpointSlice> _slices;

    public InformerDnsRecordSource(Informer<Service> services, Informer<EndpointSlice> slices)
    {
        _services = services;
        _slices = slices;
        _services.EnsureIndexer(ClusterIpIndex, ClusterIPsOf);
        _slices.EnsureIndexer(Indexers.ServiceName, Indexers.ByServiceName);
        _slices.EnsureIndexer(AddressIndex, s => s.Endpoints?.SelectMany(e => e.Addresses ?? []) ?? []);
    }

    public DnsService? FindService(string ns, string name)
    {
        if (_services.Get(ns, name) is not { } svc) return null;
        var spec = svc.Spec;
        var external = spec.Type == "ExternalName" ? spec.ExternalName : null;
        var ips = ClusterIPsOf(svc).Select(IPAddress.Parse).ToList();
        var ports = (spec.Ports ?? []).Select(p => new DnsPort(p.Name, p.Protocol ?? "TCP", p.Port)).ToList();
        return new DnsService(ns, name, external is null ? ips : [], external, ports);
    }

    public bool HasNamespace(string ns) => _services.List(ns).Count > 0;

    public IReadOnlyList<DnsEndpointSet> FindEndpoints(string ns, string service) =>
        [.. _slices.ByIndex(Indexers.ServiceName, ObjectKeys.KeyOf(ns, service)).Select(slice => new DnsEndpointSet(
            [.. (slice.Endpoints ?? []).Where(Published).SelectMany(e => (e.Addresses ?? []).Select(a => (Address: Parse(a), e.Hostname)))
                .Where(a => a.Address is not null).Select(a => new DnsEndpoint(a.Address!, a.Hostname))],
            [.. (slice.Ports ?? []).Where(p => p.Port is > 0).Select(p => new DnsPort(p.Name, p.Protocol ?? "TCP", p.Port!.Value))]))];

    public DnsAddressOwner? FindOwner(IPAddress address)
    {
        var text = address.ToString();
        if (_services.ByIndex(ClusterIpIndex, text) is [var svc, ..])
            return new DnsAddressOwner(svc.Metadata.Namespace!, svc.Metadata.Name!, null);
        foreach (var slice in _slices.ByIndex(AddressIndex, text))
        {
            if (slice.Metadata.Labels?.GetValueOrDefault(Indexers.ServiceName) is not { Length: > 0 } service) continue;
            if (FindService(slice.Metadata.Namespace!, service) is not { IsHeadless: true }) continue;
            var endpoint = slice.Endpoints?.FirstOrDefault(e => e.Addresses?.Contains(text) == true);
            var label = new DnsEndpoint(address, endpoint?.Hostname).Label;
            return new DnsAddressOwner(slice.Metadata.Namespace!, service, label);
        }
        return null;
    }

    /// <summary>Ready endpoints (the controller marks every endpoint ready when the Service publishes not-ready addresses).</summary>
    private static bool Published(Endpoint e) => e.Conditions?.Ready != false;

    private static IEnumerable<string> ClusterIPsOf(Service s)
    {
        var ips = s.Spec.ClusterIPs is { Count: > 0 } list ? list : s.Spec.ClusterIP is { } one ? [one] : [];
        return ips.Where(ip => ip is { Length: > 0 } && ip != "None" && IPAddress.TryParse(ip, out _));
    }

    private static IPAddress? Parse(string text) => IPAddress.TryParse(text, out var a) ? a : null;
}
