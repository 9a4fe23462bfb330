namespace Platform.Contracts.Resources;

public sealed record ServiceSpec
{
    /// <summary><c>ClusterIP</c> (default), <c>NodePort</c>, <c>LoadBalancer</c> or <c>ExternalName</c>.</summary>
    public string? Type { get; init; }
    /// <summary>The labels of the pods that receive the Service's traffic.</summary>
    public Dictionary<string, string>? Selector { get; init; }
    /// <summary>The ports the Service exposes.</summary>
    public List<ServicePort>? Ports { get; init; }
    /// <summary>The Service's virtual IP, allocated by the apiserver; <c>None</c> for a headless Service. Immutable once set.</summary>
    public string? ClusterIP { get; init; }
    /// <summary>The cluster IPs, one per IP family; the first is always <see cref="ClusterIP"/>.</summary>
    public List<string>? ClusterIPs { get; init; }
    /// <summary>For <c>type: ExternalName</c>: the DNS name the Service's name is an alias (CNAME) of.</summary>
    public string? ExternalName { get; init; }
    /// <summary>The IP families of <see cref="ClusterIPs"/> (<c>IPv4</c>; the platform allocates from one IPv4 range).</summary>
    public List<string>? IpFamilies { get; init; }
    /// <summary><c>SingleStack</c> (default), <c>PreferDualStack</c> or <c>RequireDualStack</c>.</summary>
    public string? IpFamilyPolicy { get; init; }
    /// <summary><c>None</c> (default) or <c>ClientIP</c>.</summary>
    public string? SessionAffinity { get; init; }
    /// <summary>The settings of <c>ClientIP</c> session affinity.</summary>
    public SessionAffinityConfig? SessionAffinityConfig { get; init; }
    /// <summary>For NodePort and LoadBalancer Services: <c>Cluster</c> (default) or <c>Local</c> (only node-local endpoints, client IP kept).</summary>
    public string? ExternalTrafficPolicy { get; init; }
    /// <summary><c>Cluster</c> (default) or <c>Local</c>: whether in-cluster traffic may go to endpoints on other nodes.</summary>
    public string? InternalTrafficPolicy { get; init; }
    /// <summary>Whether endpoints of pods that are not ready are published as ready (headless peer discovery).</summary>
    public bool? PublishNotReadyAddresses { get; init; }
    /// <summary>For <c>type: LoadBalancer</c>: the address asked of the load balancer implementation (deprecated in Kubernetes, still honoured by some).</summary>
    public string? LoadBalancerIP { get; init; }
}
