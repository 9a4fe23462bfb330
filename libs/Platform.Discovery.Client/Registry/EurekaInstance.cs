namespace Platform.Discovery.Client.Registry;

/// <summary>An instance as the registry reports it.</summary>
public sealed record EurekaInstance
{
    public required string InstanceId { get; init; }
    /// <summary>Upper-case application name.</summary>
    public required string AppName { get; init; }
    public required string HostName { get; init; }
    public string? IpAddr { get; init; }
    public int Port { get; init; }
    public bool PortEnabled { get; init; } = true;
    public int SecurePort { get; init; }
    public bool SecurePortEnabled { get; init; }
    /// <summary>UP, DOWN, STARTING, OUT_OF_SERVICE or UNKNOWN.</summary>
    public string Status { get; init; } = "UP";
    public string? VipAddress { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    /// <summary>ADDED, MODIFIED or DELETED (in delta fetches and in changes given to <see cref="IDiscoveryClient.Apply"/>).</summary>
    public string? ActionType { get; init; }
    /// <summary>Registry time of the instance's last change (Unix ms): a change older than the copy's is not applied.</summary>
    public long LastUpdatedTimestamp { get; init; }

    /// <summary>The base URI to call: https on the secure port when only that is enabled.</summary>
    public Uri Uri => !PortEnabled && SecurePortEnabled ? new Uri($"https://{HostName}:{SecurePort}/") : new Uri($"http://{HostName}:{Port}/");
}
