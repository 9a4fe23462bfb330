namespace Platform.ClusterDns;

/// <summary>Settings of the cluster DNS server (CoreDNS' kubernetes plugin role); bound by the host from <c>{Host}:Dns</c>.</summary>
public sealed class ClusterDnsOptions
{
    /// <summary><c>Dns:Enabled</c>: whether the host serves cluster DNS at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Dns:ClusterDomain</c>: the zone Services and pods live in (kubelet's <c>clusterDomain</c>).</summary>
    public string ClusterDomain { get; set; } = "cluster.local";

    /// <summary><c>Dns:Ttl</c>: seconds every cluster answer may be cached (CoreDNS' kubernetes plugin: 5).</summary>
    public int Ttl { get; set; } = 5;

    /// <summary><c>Dns:Listen</c>: extra <c>address:port</c> endpoints to answer on besides those the host adds (e.g. the pod bridge's address on port 53).</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>
    /// <c>Dns:Upstreams</c>: resolvers names outside the cluster domain are forwarded to (<c>address[:port]</c>);
    /// empty: the nameservers of the host's <c>/etc/resolv.conf</c>.
    /// </summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary><c>Dns:ResolvConfPath</c>: the host resolver configuration read when <see cref="Upstreams"/> is empty.</summary>
    public string ResolvConfPath { get; set; } = "/etc/resolv.conf";

    /// <summary><c>Dns:ForwardTimeout</c>: how long a forwarded query may take before the client gets SERVFAIL.</summary>
    public TimeSpan ForwardTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Dns:Ndots</c>: the <c>ndots</c> option written into pods' resolv.conf (kubelet: 5).</summary>
    public int Ndots { get; set; } = 5;
}
