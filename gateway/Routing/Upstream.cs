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

    /// <summary>
    /// Route metadata <c>http-version</c>: <c>2</c> speaks HTTP/2 to the destination (prior knowledge, so h2c for
    /// <c>http://</c>: what gRPC needs), <c>1.1</c> HTTP/1.1 only; null leaves YARP's default (HTTP/2 where TLS
    /// negotiates it, else HTTP/1.1).
    /// </summary>
    public string? HttpVersion { get; init; }

    /// <summary>Routes with the same upstream share one YARP cluster (and so its health and balancing state).</summary>
    public string ClusterId => $"{Scheme}:{Target}" + (Port is null ? "" : $":{Port}") + $"|{LoadBalancingPolicy}|{ConnectTimeout.TotalMilliseconds}"
        + (Grantee is null ? "" : $"|for:{Grantee}") + (HttpVersion is null ? "" : $"|http:{HttpVersion}");

    /// <summary>The registry's application name (Eureka names are upper case).</summary>
    public string ServiceName => Target.ToUpperInvariant();

    /// <summary>Whether an instance of <see cref="ServiceName"/> may get this upstream's traffic.</summary>
    public bool Admits(EurekaInstance instance) =>
        Grantee is null || RouteGrants.Allows(instance.Metadata.GetValueOrDefault(ServiceApplication.AllowRoutesFromMetadata), Grantee);
}
