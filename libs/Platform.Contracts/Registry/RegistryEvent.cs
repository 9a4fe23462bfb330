namespace Platform.Contracts.Registry;

/// <summary>
/// Payload of a <c>platform.registry</c> event (key <c>APP/instanceId</c>, CloudEvents type
/// <c>io.platform.registry.{registered|status-changed|cancelled|expired}</c>). Heartbeats are not published.
/// </summary>
public sealed record RegistryEvent
{
    /// <summary><c>registered</c>, <c>status-changed</c>, <c>cancelled</c> or <c>expired</c>.</summary>
    public required string Action { get; init; }
    /// <summary>Upper-case application name, as Eureka stores it (<c>MY-FIRST-SERVICE</c>).</summary>
    public required string App { get; init; }
    public required string InstanceId { get; init; }
    /// <summary>UP, DOWN, STARTING, OUT_OF_SERVICE or UNKNOWN (the effective status, overrides applied).</summary>
    public required string Status { get; init; }
    public string? HostName { get; init; }
    public string? IpAddr { get; init; }
    public int? Port { get; init; }
    public int? SecurePort { get; init; }
    public bool SecurePortEnabled { get; init; }
    public string? VipAddress { get; init; }
    public string? SecureVipAddress { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    /// <summary>Registry time of the change, Unix milliseconds.</summary>
    public long Timestamp { get; init; }

    public static class Actions
    {
        public const string Registered = "registered";
        public const string StatusChanged = "status-changed";
        public const string Cancelled = "cancelled";
        public const string Expired = "expired";
    }
}
