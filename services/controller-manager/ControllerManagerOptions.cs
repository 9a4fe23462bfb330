namespace Platform.ControllerManager;

/// <summary>Settings bound from <c>ControllerManager</c>; checked at start by <see cref="ControllerManagerOptionsValidator"/>.</summary>
public sealed class ControllerManagerOptions
{
    public const string Section = "ControllerManager";

    /// <summary><c>ControllerManager:ApiServerUrl</c>: default env <c>PLATFORM_APISERVER_URL</c>, then <c>http://127.0.0.1:7070</c>.</summary>
    public string ApiServerUrl { get; set; } = "";
    /// <summary><c>ControllerManager:ApiServerCaFile</c>: the PEM CA the apiserver's HTTPS certificate is checked against (default env <c>PLATFORM_CA_FILE</c>; none: the system's roots).</summary>
    public string? ApiServerCaFile { get; set; }

    /// <summary><c>ControllerManager:Token</c>: a controller token (default env <c>PLATFORM_CONTROLLER_TOKEN</c>, then <c>PLATFORM_ADMIN_TOKEN</c>).</summary>
    public string Token { get; set; } = "";

    /// <summary>
    /// <c>ControllerManager:EurekaUrl</c>: the discovery server's Eureka API (e.g. <c>http://user:pw@127.0.0.1:8761/eureka</c>;
    /// default env <c>EUREKA_URL</c>) where ready Service endpoints are registered; several servers comma-separated, each
    /// call going to the next when one is down. Unset: endpoints are counted only.
    /// </summary>
    public string? EurekaUrl { get; set; }

    /// <summary><c>ControllerManager:TopicPrefix</c>: the informers follow <c>{prefix}{plural}</c>.</summary>
    public string TopicPrefix { get; set; } = Platform.Contracts.Events.Topics.Prefix;

    /// <summary>
    /// <c>ControllerManager:GroupId</c>: the Kafka consumer group of the informers. Default: one of its own per process
    /// (replaying the topics from the start, events the initial list covers are skipped by resourceVersion), because
    /// every instance, leader or standby, keeps a whole cache; a shared group would split the partitions between them.
    /// </summary>
    public string GroupId { get; set; } = "";

    /// <summary><c>ControllerManager:Workers</c>: concurrent reconciles per controller.</summary>
    public int Workers { get; set; } = 2;

    /// <summary><c>ControllerManager:ResyncPeriod</c>: every key is re-queued this often, a safety net only.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>ControllerManager:NodeMonitorPeriod</c>: how often node heartbeats are checked against the cache.</summary>
    public TimeSpan NodeMonitorPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>ControllerManager:NodeMonitorGracePeriod</c>: a node silent this long becomes NotReady and gets the NoExecute taint.</summary>
    public TimeSpan NodeMonitorGracePeriod { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary><c>ControllerManager:LeaderElection</c>: which instance runs the controllers.</summary>
    public Leader.LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary><c>ControllerManager:PodEvictionTimeout</c>: how long pods stay on an unreachable node when they declare no toleration.</summary>
    public TimeSpan PodEvictionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>ControllerManager:MaxEndpointsPerSlice</c>: the most endpoints the EndpointSlice controller puts in one slice (Kubernetes' <c>--max-endpoints-per-slice</c>, 1-1000).</summary>
    public int MaxEndpointsPerSlice { get; set; } = 100;

    /// <summary><c>ControllerManager:ClusterCidr</c>: the IPv4 range the node IPAM controller cuts every Node's <c>spec.podCIDR</c> from.</summary>
    public string ClusterCidr { get; set; } = "10.244.0.0/16";

    /// <summary><c>ControllerManager:NodeCidrMaskSize</c>: the prefix length of each Node's podCIDR (24: 254 pod IPs a node, 256 nodes in a /16).</summary>
    public int NodeCidrMaskSize { get; set; } = 24;

    /// <summary>
    /// <c>ControllerManager:JobBackoffBase</c>: the delay before a Job's pod is re-created after its first failure,
    /// doubled with each further failure up to six minutes (Kubernetes' 10 s).
    /// </summary>
    public TimeSpan JobBackoffBase { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>ControllerManager:HorizontalPodAutoscalerSyncPeriod</c>: how often each HorizontalPodAutoscaler reads its
    /// pods' metrics and rescales its target (kube-controller-manager's <c>--horizontal-pod-autoscaler-sync-period</c>, 15 s).
    /// </summary>
    public TimeSpan HorizontalPodAutoscalerSyncPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// <c>ControllerManager:ConnectUrl</c>: the Kafka Connect REST API the KafkaConnector controller configures, Basic
    /// credentials in the URL (<c>http://user:pw@127.0.0.1:8083</c>; default env <c>CONNECT_URL</c>). Unset: KafkaConnectors
    /// stay <c>Ready=False</c> with reason <c>ConnectNotConfigured</c>.
    /// </summary>
    public string? ConnectUrl { get; set; }

    /// <summary><c>ControllerManager:KafkaConnectorStatusPeriod</c>: how often each KafkaConnector's status is read again from the Connect REST API.</summary>
    public TimeSpan KafkaConnectorStatusPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>ControllerManager:DevBrokerControlFile</c>: the development broker's control file (<c>./platform up</c>:
    /// <c>.platform/kafka/control</c>). A broker without CreateTopics then gets KafkaTopics' topics through its control port,
    /// with their exact partitions and replicas; unset, such a broker auto-creates them with its defaults.
    /// </summary>
    public string? DevBrokerControlFile { get; set; }
}
