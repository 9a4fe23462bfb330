namespace Platform.Contracts.Resources;

/// <summary>A pod's additions to its resolv.conf (core/v1 PodDNSConfig).</summary>
public sealed record PodDnsConfig
{
    /// <summary>Nameserver addresses, at most 3 in all.</summary>
    public List<string>? Nameservers { get; init; }
    /// <summary>Search domains, at most 32.</summary>
    public List<string>? Searches { get; init; }
    /// <summary>resolv.conf options such as <c>ndots</c>; one named here replaces the default of the same name.</summary>
    public List<PodDnsConfigOption>? Options { get; init; }
}

/// <summary>One resolv.conf option: <c>ndots:2</c> is name <c>ndots</c>, value <c>2</c>.</summary>
public sealed record PodDnsConfigOption
{
    public string? Name { get; init; }
    public string? Value { get; init; }
}
