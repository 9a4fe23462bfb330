namespace Platform.Contracts.Resources;

public sealed record NodeStatus
{
    public ResourceList? Capacity { get; init; }
    public ResourceList? Allocatable { get; init; }
    /// <summary><c>Ready</c> and pressure conditions; the node agent writes them on changes and every few minutes (its heartbeat is its Lease).</summary>
    public List<Condition>? Conditions { get; init; }
    public List<NodeAddress>? Addresses { get; init; }
    /// <summary>The host port range the node agent allocates hostNetwork pods' ports from, e.g. <c>40000-44999</c>.</summary>
    public string? PortRange { get; init; }
    /// <summary>Where the node agent listens (<c>kubeletEndpoint.Port</c>); the apiserver proxies <c>pods/log</c> there.</summary>
    public NodeDaemonEndpoints? DaemonEndpoints { get; init; }
    /// <summary>The host's kernel, OS image, container runtime and versions (<c>kubectl get nodes -o wide</c>).</summary>
    public NodeSystemInfo? NodeInfo { get; init; }
}
