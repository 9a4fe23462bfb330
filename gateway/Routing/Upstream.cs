using Platform.Contracts.Registry;
using Platform.Contracts.Routing;
using Platform.Discovery.Client.Registry;

namespace Platform.Gateway.Routing;

/// <summary>
/// Where a route sends requests: a fixed address (<c>http://host:port</c>) or an application of the registry
/// (<c>lb://name</c>), with the load-balancing policy and connect timeout that make up its YARP cluster.
/// <paramref name="Grantee"/> is the namespace of a Route reaching another namespace's Service: only instances whose
/// Service allows Routes of that namespace get its traffic. <paramref name="Service"/> is the Service a namespaced
/// route's <c>lb://</c> names (resolved through its EndpointSlices when it exists, else the registry);
/// <paramref name="Port"/> the Service port an Ingress backend names (a number or a port name), null for the
/// Service's only (or first) port.
/// </summary>
public sealed record Upstream(string Scheme, string Target, string LoadBalancingPolicy, TimeSpan ConnectTimeout, string? Grantee = null,
    ServiceApplication? Service = null, string? Port = null)
{
    public bool IsLoadBalanced => Scheme == "lb";

    /// <summary>Routes with the same upstream share one YARP cluster (and so its health and balancing state).</summary>
    public string ClusterId => $"{Scheme}:{Target}" + (Port is null ? "" : $":{Port}") + $"|{LoadBalancingPolicy}|{ConnectTimeout.TotalMilliseconds}"
        + (Grantee is null ? "" : $"|for:{Grantee}");

    /// <summary>The registry's application name (Eureka names are upper case).</summary>
    public string ServiceName => Target.ToUpperInvariant();

    /// <summary>Whether an instance of <see cref="ServiceName"/> may get this upstream's traffic.</summary>
    public bool Admits(EurekaInstance instance) =>
        Grantee is null || RouteGrants.Allows(instance.Metadata.GetValueOrDefault(ServiceApplication.AllowRoutesFromMetadata), Grantee);
}
