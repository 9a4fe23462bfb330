namespace Platform.Contracts.Resources;

/// <summary>An entry the node agent adds to the pod's <c>/etc/hosts</c> (core/v1 HostAlias).</summary>
public sealed record HostAlias
{
    /// <summary>The IP address the host names resolve to.</summary>
    public string? Ip { get; init; }
    /// <summary>Host names for <see cref="Ip"/>.</summary>
    public List<string>? Hostnames { get; init; }
}
