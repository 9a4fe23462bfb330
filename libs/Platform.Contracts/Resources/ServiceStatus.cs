namespace Platform.Contracts.Resources;

public sealed record ServiceStatus
{
    /// <summary>Number of ready pods registered in discovery by the endpoints controller.</summary>
    public int? ReadyEndpoints { get; init; }
    /// <summary>
    /// For <c>type: LoadBalancer</c>: the addresses of the load balancer, written through the status subresource by the
    /// load balancer implementation (none in the platform yet; until one runs, EXTERNAL-IP stays <c>&lt;pending&gt;</c>).
    /// </summary>
    public LoadBalancerStatus? LoadBalancer { get; init; }
}
