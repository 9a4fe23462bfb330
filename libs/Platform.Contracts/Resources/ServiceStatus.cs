namespace Platform.Contracts.Resources;

public sealed record ServiceStatus
{
    /// <summary>Number of ready pods registered in discovery by the endpoints controller.</summary>
    public int? ReadyEndpoints { get; init; }
    /// <summary>
    /// For <c>type: LoadBalancer</c>: the addresses of the load balancer, written through the status subresource by the
    /// load balancer implementation: the controller-manager's <c>service-lb</c> controller (every Ready node's InternalIP).
    /// </summary>
    public LoadBalancerStatus? LoadBalancer { get; init; }
}
