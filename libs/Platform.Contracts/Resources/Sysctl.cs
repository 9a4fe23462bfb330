namespace Platform.Contracts.Resources;

/// <summary>A kernel parameter set in the pod's namespaces.</summary>
public sealed record Sysctl
{
    /// <summary>The parameter, such as <c>net.ipv4.ip_local_port_range</c>.</summary>
    public string? Name { get; init; }
    /// <summary>Its value.</summary>
    public string? Value { get; init; }
}
