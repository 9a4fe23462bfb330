namespace Platform.NodeAgent.Proxy;

/// <summary>Settings bound from <c>NodeAgent:Proxy</c>: the node's Service proxy (kube-proxy's role).</summary>
public sealed class ProxyOptions
{
    /// <summary>
    /// <c>NodeAgent:Proxy:Enabled</c>: proxy Services' ClusterIPs and node ports on this node. Default: on when the
    /// pod network is (it needs root and iproute2 for the ClusterIPs' dummy interface).
    /// </summary>
    public bool? Enabled { get; set; }

    public const string Userspace = "userspace", Nftables = "nftables";

    /// <summary>
    /// <c>NodeAgent:Proxy:Mode</c>: <c>nftables</c> (the default: DNAT rules in the kernel, kube-proxy's nftables mode;
    /// 1.6–2.9× the userspace throughput in <c>./platform bench service-proxy</c>) or <c>userspace</c> (the agent
    /// accepts and relays each TCP connection, closing a removed backend's connections at once).
    /// </summary>
    public string Mode { get; set; } = Nftables;

    /// <summary><c>NodeAgent:Proxy:MaxConnectionsPerListener</c>: open connections one listener (ClusterIP:port or node port) relays at once; more are closed at accept.</summary>
    public int MaxConnectionsPerListener { get; set; } = 1024;

    /// <summary><c>NodeAgent:Proxy:ConnectTimeout</c>: how long a connection to a backend may take before the client's connection is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>NodeAgent:Proxy:ResyncInterval</c>: a full reconcile this often besides the informers' changes (retries listeners that could not bind).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}
