namespace Platform.NodeAgent;

/// <summary>Settings bound from <c>NodeAgent</c>; checked at start by <see cref="NodeAgentOptionsValidator"/>.</summary>
public sealed class NodeAgentOptions
{
    public const string Section = "NodeAgent";

    /// <summary><c>NodeAgent:NodeName</c>: the Node this agent registers and runs pods for (default: the host name, lower case).</summary>
    public string NodeName { get; set; } = "";

    /// <summary><c>NodeAgent:ApiServerUrl</c>: default env <c>PLATFORM_APISERVER_URL</c>, then <c>http://127.0.0.1:7070</c>.</summary>
    public string ApiServerUrl { get; set; } = "";
    /// <summary><c>NodeAgent:ApiServerCaFile</c>: the PEM CA the apiserver's HTTPS certificate is checked against (default env <c>PLATFORM_CA_FILE</c>; none: the system's roots).</summary>
    public string? ApiServerCaFile { get; set; }

    /// <summary><c>NodeAgent:Token</c>: a node token for this node (default env <c>PLATFORM_NODE_TOKEN</c>, then <c>PLATFORM_ADMIN_TOKEN</c>).</summary>
    public string Token { get; set; } = "";

    /// <summary><c>NodeAgent:DockerHost</c>: the Docker Engine endpoint (default env <c>DOCKER_HOST</c>, then the local socket).</summary>
    public string DockerHost { get; set; } = "";

    /// <summary><c>NodeAgent:TopicPrefix</c>: pods are followed on <c>{prefix}pods</c>, events go through the apiserver.</summary>
    public string TopicPrefix { get; set; } = Platform.Contracts.Events.Topics.Prefix;

    /// <summary><c>NodeAgent:PortRange</c>: host ports handed to hostNetwork pods, <c>first-last</c>, outside the Services' node port range (30000-32767) so a NodePort can always be bound. Agents sharing a machine need disjoint ranges.</summary>
    public string PortRange { get; set; } = "40000-44999";

    /// <summary><c>NodeAgent:StateDirectory</c>: pod volumes live under <c>{dir}/pods/{uid}</c> (default <c>{PLATFORM_STATE}/node-agent/{node}</c>, else the temp folder).</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary><c>NodeAgent:Address</c>: the node's address (hostIP), and the podIP of pods on the host network.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary><c>NodeAgent:Cpu</c>: advertised cpu capacity (default: the machine's processor count).</summary>
    public string? Cpu { get; set; }

    /// <summary><c>NodeAgent:Memory</c>: advertised memory capacity (default: the machine's memory).</summary>
    public string? Memory { get; set; }

    /// <summary><c>NodeAgent:MaxPods</c>: advertised pod capacity.</summary>
    public int MaxPods { get; set; } = 110;

    /// <summary><c>NodeAgent:Labels</c>: labels of the Node object.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary><c>NodeAgent:Taints</c>: <c>key[=value]:Effect</c> taints of the Node object.</summary>
    public List<string> Taints { get; set; } = [];

    /// <summary><c>NodeAgent:HeartbeatInterval</c>: how often the node's Lease (<c>kube-node-lease/{node}</c>) is renewed.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>NodeAgent:LeaseDurationSeconds</c>: the <c>leaseDurationSeconds</c> written on the node's Lease (kubelet: 40).</summary>
    public int LeaseDurationSeconds { get; set; } = 40;

    /// <summary><c>NodeAgent:StatusReportInterval</c>: an unchanged Node status is still written this often (kubelet: 5 min).</summary>
    public TimeSpan StatusReportInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>NodeAgent:ParallelContainerStarts</c>: container starts (sandboxes included) run at once, the oldest pod's first
    /// (<see cref="Runtime.ContainerStartGate"/>); default the machine's processor count, 0 for no bound.
    /// </summary>
    public int ParallelContainerStarts { get; set; } = Environment.ProcessorCount;

    /// <summary><c>NodeAgent:SyncInterval</c>: how often each pod worker relists its containers (kubelet's PLEG relist period).</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary><c>NodeAgent:StreamingConnectionIdleTimeout</c>: an exec or attach stream with no data either way for this long is closed (kubelet: 4 h).</summary>
    public TimeSpan StreamingConnectionIdleTimeout { get; set; } = TimeSpan.FromHours(4);

    /// <summary><c>NodeAgent:BackOffInitial</c> / <c>BackOffMax</c>: CrashLoopBackOff delays (10 s doubling to 300 s).</summary>
    public TimeSpan BackOffInitial { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan BackOffMax { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary><c>NodeAgent:BackOffReset</c>: a container that ran this long resets its back-off.</summary>
    public TimeSpan BackOffReset { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// <c>NodeAgent:StaticPodPath</c>: the folder of static pod manifests (kubelet's staticPodPath); default
    /// <c>{StateDirectory}/manifests</c>, an empty value turns static pods off.
    /// </summary>
    public string? StaticPodPath { get; set; }

    /// <summary>
    /// <c>NodeAgent:VolumeRoot</c>: where the local provisioner makes a directory per PersistentVolume of the
    /// <c>platform.io/local-path</c> StorageClasses scheduled to this node (default <c>{StateDirectory}/volumes</c>).
    /// </summary>
    public string? VolumeRoot { get; set; }

    /// <summary><c>NodeAgent:StaticPodRescanInterval</c>: the full rescan of the manifest folder and mirror pods behind the file watcher.</summary>
    public TimeSpan StaticPodRescanInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// <c>NodeAgent:Dns</c>: cluster DNS on this node (<c>Enabled</c>, <c>ClusterDomain</c>, <c>Ttl</c>, <c>Listen</c>,
    /// <c>Upstreams</c>, <c>Ndots</c>; see <see cref="Platform.ClusterDns.ClusterDnsOptions"/>), on the pod bridge's address, port 53.
    /// </summary>
    public Platform.ClusterDns.ClusterDnsOptions Dns { get; set; } = new();

    /// <summary><c>NodeAgent:PodNetwork</c>: pods on a network of their own (<c>Enabled</c>, <c>PauseImage</c>, <c>PodCidr</c>).</summary>
    public Network.PodNetworkOptions PodNetwork { get; set; } = new();

    /// <summary><c>NodeAgent:Proxy</c>: the Service proxy (<c>Enabled</c>, <c>Mode</c>, <c>MaxConnectionsPerListener</c>, <c>ConnectTimeout</c>, <c>ResyncInterval</c>).</summary>
    public Proxy.ProxyOptions Proxy { get; set; } = new();

    /// <summary><c>NodeAgent:Metrics</c>: the resource usage sampler (<c>Interval</c>; see <see cref="Metrics.MetricsOptions"/>).</summary>
    public Metrics.MetricsOptions Metrics { get; set; } = new();

    internal (int First, int Last) ParsedPortRange
    {
        get
        {
            var parts = PortRange.Split('-', 2);
            return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
