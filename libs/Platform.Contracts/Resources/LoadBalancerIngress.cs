namespace Platform.Contracts.Resources;

/// <summary>One address of a load balancer: an IP or a host name, with the state of its ports.</summary>
public sealed record LoadBalancerIngress
{
    public string? Ip { get; init; }
    public string? Hostname { get; init; }
    /// <summary><c>VIP</c> or <c>Proxy</c>.</summary>
    public string? IpMode { get; init; }
    public List<PortStatus>? Ports { get; init; }
}
