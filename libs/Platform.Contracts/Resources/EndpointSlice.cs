namespace Platform.Contracts.Resources;

/// <summary>
/// <c>apiVersion: discovery.k8s.io/v1</c>, <c>kind: EndpointSlice</c>: some of the endpoints of a Service (named by the
/// <c>kubernetes.io/service-name</c> label), all with the same ports. Written by the EndpointSlice controller for
/// Services with a selector.
/// </summary>
public sealed record EndpointSlice : Resource
{
    /// <summary><c>IPv4</c>, <c>IPv6</c> or <c>FQDN</c>; immutable.</summary>
    public string? AddressType { get; init; }
    /// <summary>At most 1000 endpoints.</summary>
    public List<Endpoint>? Endpoints { get; init; }
    /// <summary>The ports every endpoint of the slice serves; at most 100.</summary>
    public List<EndpointPort>? Ports { get; init; }
}
