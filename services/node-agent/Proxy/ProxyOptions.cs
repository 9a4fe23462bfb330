namespace Platform.NodeAgent.Proxy;

/// <summary>Settings bound from <c>NodeAgent:Proxy</c>: the node's Service proxy (kube-proxy's role).</summary>
public sealed class ProxyOptions
{
    /// <summary>
    /// <c>NodeAgent:Proxy:Enabled</c>: proxy Services' ClusterIPs and node ports on this node. Default: on when the
    /// pod network is (it needs root and iproute2 for the ClusterIPs' dummy interface).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary><c>NodeAgent:Proxy:Mode</c>: <c>userspace</c> (the agent accepts and relays each TCP connection); the only mode so far.</summary>
    public string Mode { get; set; } = "userspace";

    /// <summary><c>NodeAgent:Proxy:MaxConnectionsPerListener</c>: open connections one listener (ClusterIP:port or node port) relays at once; more are closed at accept.</summary>
    public int MaxConnectionsPerListener { get; set; } = 1024;

    /// <summary><c>NodeAgent:Proxy:ConnectTimeout</c>: how long a connection to a backend may take before the client's connection is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>NodeAgent:Proxy:ResyncInterval</c>: a full reconcile this often besides the informers' changes (retries listeners that could not bind).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);
}
