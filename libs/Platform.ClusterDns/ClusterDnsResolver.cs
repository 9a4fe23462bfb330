using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Platform.ClusterDns;

/// <summary>
/// Answers questions about the cluster domain as the Kubernetes DNS specification (and CoreDNS) does:
/// <c>SVC.NS.svc.ZONE</c> A/AAAA (the ClusterIP, or each published endpoint of a headless Service), CNAME for
/// ExternalName, SRV <c>_PORT._PROTO.SVC.NS.svc.ZONE</c>, <c>HOST.SVC.NS.svc.ZONE</c> for headless endpoints,
/// <c>A-B-C-D.NS.pod.ZONE</c>, PTR for cluster addresses and <c>dns-version.ZONE</c>. Anything else is not its
/// business: <see cref="Resolve"/> returns null and the server forwards it.
/// </summary>
public sealed class ClusterDnsResolver(IDnsRecordSource source, ClusterDnsOptions options)
{
    /// <summary>The schema version of the Kubernetes DNS specification these answers follow.</summary>
    public const string SchemaVersion = "1.1.0";

    private readonly DomainName _zone = DomainName.Parse(options.ClusterDomain);
    private readonly int _ttl = options.Ttl;

    public DomainName Zone => _zone;

    public DnsAnswer? Resolve(DnsQuestion question)
    {
        var name = question.Name;
        if (name.IsEqualOrSubDomainOf(_zone))
            return ResolveInZone(question) ?? NxDomain();
        if (question.RecordType == RecordType.Ptr && ReverseAddress(name) is { } address)
            return ResolvePtr(question, address);
        return null;
    }

    private DnsAnswer? ResolveInZone(DnsQuestion q)
    {
        // Labels under the zone, most specific first: ["web", "dev", "svc"] for web.dev.svc.cluster.local.
        var labels = q.Name.Labels.Take(q.Name.LabelCount - _zone.LabelCount).Select(l => l.ToLowerInvariant()).ToArray();
        if (labels.Length == 0)
            return NoData();
        if (labels is ["dns-version"])
            return q.RecordType is RecordType.Txt or RecordType.Any
                ? DnsAnswer.Records([new TxtRecord(q.Name, _ttl, SchemaVersion)])
                : NoData();
        return labels[^1] switch
        {
            "svc" => ResolveService(q, labels[..^1]),
            "pod" => ResolvePod(q, labels[..^1]),
            _ => null,
        };
    }

    private DnsAnswer? ResolveService(DnsQuestion q, string[] labels)
    {
        switch (labels)
        {
            case []:
                return NoData();
            case [var ns]:
                return source.HasNamespace(ns) ? NoData() : null;
            case [var name, var ns]:
                return source.FindService(ns, name) is { } svc ? ServiceRecords(q, svc) : null;
            case [var port, var proto, var name, var ns] when port.StartsWith('_') && proto.StartsWith('_'):
                return source.FindService(ns, name) is { } service ? SrvRecords(q, service, port[1..], proto[1..]) : null;
            case [var host, var name, var ns]:
                return EndpointRecords(q, ns, name, host);
            default:
                return null;
        }
    }

    private DnsAnswer? ServiceRecords(DnsQuestion q, DnsService svc)
    {
        if (svc.ExternalName is { } external)
        {
            // A CNAME answers every type but the ones that cannot live beside it.
            return DomainName.TryParse(external, out var target) && target is not null
                ? DnsAnswer.Records([new CNameRecord(q.Name, _ttl, target)])
                : NoData();
        }
        var addresses = svc.IsHeadless
            ? source.FindEndpoints(svc.Namespace, svc.Name).SelectMany(s => s.Endpoints).Select(e => e.Address).Distinct().ToList()
            : svc.ClusterIPs.ToList();
        if (addresses.Count == 0 && svc.IsHeadless)
            return null;
        return AddressAnswer(q, q.Name, addresses);
    }

    private DnsAnswer? SrvRecords(DnsQuestion q, DnsService svc, string portName, string protocol)
    {
        if (q.RecordType is not (RecordType.Srv or RecordType.Any))
            return NoData();
        var answers = new List<DnsRecordBase>();
        var additional = new List<DnsRecordBase>();
        var serviceName = ServiceName(svc.Namespace, svc.Name);
        if (svc.IsHeadless)
        {
            foreach (var set in source.FindEndpoints(svc.Namespace, svc.Name))
            foreach (var port in set.Ports.Where(p => Matches(p, portName, protocol)))
            foreach (var endpoint in set.Endpoints)
            {
                var target = DomainName.Parse(endpoint.Label) + serviceName;
                answers.Add(new SrvRecord(q.Name, _ttl, 0, Weight(set.Endpoints.Count), (ushort)port.Port, target));
                additional.Add(AddressRecord(target, endpoint.Address));
            }
        }
        else if (svc.ExternalName is null)
        {
            foreach (var port in svc.Ports.Where(p => Matches(p, portName, protocol)))
                answers.Add(new SrvRecord(q.Name, _ttl, 0, 100, (ushort)port.Port, serviceName));
            if (answers.Count > 0)
                additional.AddRange(svc.ClusterIPs.Select(ip => AddressRecord(serviceName, ip)));
        }
        return answers.Count == 0 ? null : DnsAnswer.Records(answers, additional);
    }

    private DnsAnswer? EndpointRecords(DnsQuestion q, string ns, string service, string host)
    {
        if (source.FindService(ns, service) is not { IsHeadless: true })
            return null;
        var addresses = source.FindEndpoints(ns, service).SelectMany(s => s.Endpoints)
            .Where(e => e.Label.Equals(host, StringComparison.OrdinalIgnoreCase)).Select(e => e.Address).Distinct().ToList();
        return addresses.Count == 0 ? null : AddressAnswer(q, q.Name, addresses);
    }

    private DnsAnswer? ResolvePod(DnsQuestion q, string[] labels)
    {
        // CoreDNS' "pods insecure" mode, kubeadm's default: the address is read from the name.
        if (labels is not [var dashed, _] || !IPAddress.TryParse(dashed.Replace('-', '.'), out var address)
            || address.AddressFamily != AddressFamily.InterNetwork)
            return null;
        return AddressAnswer(q, q.Name, [address]);
    }

    /// <summary>Cluster addresses are named here; any other address falls through to the upstream resolvers.</summary>
    private DnsAnswer? ResolvePtr(DnsQuestion q, IPAddress address)
    {
        if (source.FindOwner(address) is not { } owner)
            return null;
        var target = ServiceName(owner.Namespace, owner.Service);
        if (owner.Hostname is { Length: > 0 } host)
            target = DomainName.Parse(host) + target;
        return DnsAnswer.Records([new PtrRecord(q.Name, _ttl, target)]);
    }

    private DnsAnswer AddressAnswer(DnsQuestion q, DomainName name, IReadOnlyList<IPAddress> addresses)
    {
        var family = q.RecordType switch
        {
            RecordType.A => AddressFamily.InterNetwork,
            RecordType.Aaaa => AddressFamily.InterNetworkV6,
            RecordType.Any => (AddressFamily?)null,
            _ => AddressFamily.Unknown,
        };
        var records = addresses.Where(a => family is null || a.AddressFamily == family).Select(a => AddressRecord(name, a)).ToList();
        return records.Count == 0 ? NoData() : DnsAnswer.Records(records);
    }

    private DnsRecordBase AddressRecord(DomainName name, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? new AaaaRecord(name, _ttl, address) : new ARecord(name, _ttl, address);

    private DomainName ServiceName(string ns, string service) => new DomainName([service, ns, "svc"]) + _zone;

    private static bool Matches(DnsPort port, string name, string protocol) =>
        string.Equals(port.Name, name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(port.Protocol, protocol, StringComparison.OrdinalIgnoreCase);

    private static ushort Weight(int count) => (ushort)Math.Max(1, 100 / Math.Max(1, count));

    private DnsAnswer NoData() => new(ReturnCode.NoError, [], [], [Soa()]);

    private DnsAnswer NxDomain() => new(ReturnCode.NxDomain, [], [], [Soa()]);

    private SoaRecord Soa() => new(_zone, _ttl, DomainName.Parse("ns.dns") + _zone, DomainName.Parse("hostmaster") + _zone,
        1, 7200, 1800, 86400, _ttl);

    /// <summary>The IPv4 address a <c>d.c.b.a.in-addr.arpa</c> name stands for.</summary>
    private static IPAddress? ReverseAddress(DomainName name)
    {
        var labels = name.Labels;
        if (labels.Length != 6 || !labels[4].Equals("in-addr", StringComparison.OrdinalIgnoreCase)
            || !labels[5].Equals("arpa", StringComparison.OrdinalIgnoreCase))
            return null;
        return IPAddress.TryParse($"{labels[3]}.{labels[2]}.{labels[1]}.{labels[0]}", out var address) ? address : null;
    }
}
