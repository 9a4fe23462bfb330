namespace Platform.Contracts.Resources;

/// <summary>A Service's <c>status.loadBalancer</c>.</summary>
public sealed record LoadBalancerStatus
{
    /// <summary>Where the load balancer accepts traffic.</summary>
    public List<LoadBalancerIngress>? Ingress { get; init; }
}
