namespace Platform.Contracts.Resources;

/// <summary>The state of one port of a load balancer ingress.</summary>
public sealed record PortStatus
{
    public int Port { get; init; }
    public string? Protocol { get; init; }
    /// <summary>A CamelCase reason the port is in error, if it is.</summary>
    public string? Error { get; init; }
}
