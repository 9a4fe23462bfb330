namespace Platform.Gateway.Routing;

/// <summary>
/// Where a route sends requests: a fixed address (<c>http://host:port</c>) or a service of the registry
/// (<c>lb://name</c>), with the load-balancing policy and connect timeout that make up its YARP cluster.
/// </summary>
public sealed record Upstream(string Scheme, string Target, string LoadBalancingPolicy, TimeSpan ConnectTimeout)
{
    public bool IsLoadBalanced => Scheme == "lb";

    /// <summary>Routes with the same upstream share one YARP cluster (and so its health and balancing state).</summary>
    public string ClusterId => $"{Scheme}:{Target}|{LoadBalancingPolicy}|{ConnectTimeout.TotalMilliseconds}";

    /// <summary>The registry's application name (Eureka names are upper case).</summary>
    public string ServiceName => Target.ToUpperInvariant();
}
