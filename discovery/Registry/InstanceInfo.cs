namespace Platform.Discovery.Registry;

/// <summary>
/// One registered instance as Eureka describes it. Immutable: every change produces a new value, so a
/// snapshot taken for a response never changes under the serializer.
/// </summary>
internal sealed record InstanceInfo
{
    public required string InstanceId { get; init; }
    /// <summary>Upper-case application name.</summary>
    public required string App { get; init; }
    public string HostName { get; init; } = "";
    public string IpAddr { get; init; } = "";
    public InstanceStatus Status { get; init; } = InstanceStatus.Up;
    public InstanceStatus OverriddenStatus { get; init; } = InstanceStatus.Unknown;
    public int Port { get; init; } = 7001;
    public bool PortEnabled { get; init; } = true;
    public int SecurePort { get; init; } = 7002;
    public bool SecurePortEnabled { get; init; }
    public int CountryId { get; init; } = 1;
    public string DataCenterClass { get; init; } = DefaultDataCenterClass;
    public string DataCenterName { get; init; } = "MyOwn";
    public IReadOnlyDictionary<string, string> DataCenterMetadata { get; init; } = Empty;
    public int RenewalIntervalInSecs { get; init; } = 30;
    public int DurationInSecs { get; init; } = 90;
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty;
    public string? HomePageUrl { get; init; }
    public string? StatusPageUrl { get; init; }
    public string? HealthCheckUrl { get; init; }
    public string? SecureHealthCheckUrl { get; init; }
    public string? VipAddress { get; init; }
    public string? SecureVipAddress { get; init; }
    public string? AppGroupName { get; init; }
    public string? AsgName { get; init; }
    public bool IsCoordinatingDiscoveryServer { get; init; }
    public long LastUpdatedTimestamp { get; init; }
    public long LastDirtyTimestamp { get; init; }
    public ActionType ActionType { get; init; } = ActionType.Added;

    public const string DefaultDataCenterClass = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";
    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
