using System.Text.Json.Serialization;

namespace Platform.Contracts.Resources;

public sealed record PodSpec
{
    /// <summary>The containers of the pod; at least one.</summary>
    public List<Container> Containers { get; init; } = [];
    /// <summary>Run one at a time, each to completion, before the containers start.</summary>
    public List<Container>? InitContainers { get; init; }
    /// <summary>Volumes the containers can mount.</summary>
    public List<Volume>? Volumes { get; init; }
    /// <summary><c>Always</c> (default), <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; init; }
    /// <summary>Set by the scheduler through the <c>binding</c> subresource.</summary>
    public string? NodeName { get; init; }
    /// <summary>Labels a node must have for the pod to be scheduled on it.</summary>
    public Dictionary<string, string>? NodeSelector { get; init; }
    /// <summary>Node affinity and pod (anti-)affinity scheduling rules.</summary>
    public Affinity? Affinity { get; init; }
    /// <summary>The node taints this pod tolerates.</summary>
    public List<Toleration>? Tolerations { get; init; }
    /// <summary>How the pods of a selector spread across topology domains (nodes, zones).</summary>
    public List<TopologySpreadConstraint>? TopologySpreadConstraints { get; init; }
    /// <summary>Seconds between SIGTERM and SIGKILL when the pod is deleted; defaults to 30.</summary>
    public long? TerminationGracePeriodSeconds { get; init; }
    /// <summary>The scheduler that binds this pod; the default scheduler when empty.</summary>
    public string? SchedulerName { get; init; }
    /// <summary>The pod's priority; higher is scheduled first.</summary>
    public int? Priority { get; init; }
    /// <summary>The PriorityClass whose value admission copies into <see cref="Priority"/>; the global default when empty.</summary>
    public string? PriorityClassName { get; init; }
    /// <summary>PreemptLowerPriority or Never, copied from the PriorityClass at admission.</summary>
    public string? PreemptionPolicy { get; init; }
    /// <summary>The ServiceAccount the pod runs as (<c>default</c> when empty); its tokens can be bound to the pod.</summary>
    public string? ServiceAccountName { get; init; }
    /// <summary>Whether a token of the ServiceAccount is mounted into the pod.</summary>
    public bool? AutomountServiceAccountToken { get; init; }
    /// <summary>
    /// Use the node's network namespace. Pod Security baseline forbids it. Today every pod's containers share the
    /// node's network whatever it says (see docs/node-agent.md).
    /// </summary>
    public bool? HostNetwork { get; init; }
    /// <summary>Use the node's process ID namespace. Pod Security baseline forbids it.</summary>
    [JsonPropertyName("hostPID")]
    public bool? HostPid { get; init; }
    /// <summary>Use the node's IPC namespace. Pod Security baseline forbids it.</summary>
    [JsonPropertyName("hostIPC")]
    public bool? HostIpc { get; init; }
    /// <summary>Whether the Services of the pod's namespace are given to its containers as docker-link style variables (default true).</summary>
    public bool? EnableServiceLinks { get; init; }
    /// <summary><c>ClusterFirst</c> (default), <c>ClusterFirstWithHostNet</c>, <c>Default</c> (the node's resolver) or <c>None</c> (only <see cref="DnsConfig"/>).</summary>
    public string? DnsPolicy { get; init; }
    /// <summary>Nameservers, search domains and options added to (or, with <c>dnsPolicy: None</c>, making up) the pod's resolv.conf.</summary>
    public PodDnsConfig? DnsConfig { get; init; }
    /// <summary>The pod's hostname (default: its name); with <see cref="Subdomain"/> it is <c>HOSTNAME.SUBDOMAIN.NS.svc.ZONE</c> in DNS.</summary>
    public string? Hostname { get; init; }
    /// <summary>The headless Service that publishes this pod under its hostname.</summary>
    public string? Subdomain { get; init; }
    /// <summary>Entries added to the pod's <c>/etc/hosts</c>, after the ones the node agent writes for the pod.</summary>
    public List<HostAlias>? HostAliases { get; init; }
    /// <summary>Security settings of every container (user, groups, seccomp, sysctls ...); containers may override them.</summary>
    public PodSecurityContext? SecurityContext { get; init; }
}
