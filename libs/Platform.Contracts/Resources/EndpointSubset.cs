namespace Platform.Contracts.Resources;

/// <summary>Addresses that share a set of ports, ready and not ready apart.</summary>
public sealed record EndpointSubset
{
    public List<EndpointAddress>? Addresses { get; init; }
    public List<EndpointAddress>? NotReadyAddresses { get; init; }
    public List<EndpointPort>? Ports { get; init; }
}
