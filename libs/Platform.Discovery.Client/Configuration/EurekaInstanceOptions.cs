namespace Platform.Discovery.Client.Configuration;

/// <summary>How this instance registers, under <c>eureka:instance</c>, with Steeltoe's key names.</summary>
public sealed class EurekaInstanceOptions
{
    public const string Section = "eureka:instance";

    /// <summary><c>eureka:instance:appName</c>; defaults to <c>spring:application:name</c>.</summary>
    public string? AppName { get; set; }
    /// <summary><c>eureka:instance:instanceId</c>; defaults to <c>{hostName}:{appName}:{port}</c>.</summary>
    public string? InstanceId { get; set; }
    /// <summary><c>eureka:instance:hostName</c>; defaults to the address Kestrel listens on, or the machine name.</summary>
    public string? HostName { get; set; }
    /// <summary><c>eureka:instance:ipAddress</c>.</summary>
    public string? IpAddress { get; set; }
    /// <summary><c>eureka:instance:preferIpAddress</c>: advertise the IP address as host name.</summary>
    public bool PreferIpAddress { get; set; }
    /// <summary><c>eureka:instance:port</c>; 0 (the default) means the port Kestrel actually bound.</summary>
    public int Port { get; set; }
    /// <summary><c>eureka:instance:securePort</c>.</summary>
    public int SecurePort { get; set; } = 443;
    /// <summary><c>eureka:instance:nonSecurePortEnabled</c>.</summary>
    public bool NonSecurePortEnabled { get; set; } = true;
    /// <summary><c>eureka:instance:securePortEnabled</c>.</summary>
    public bool SecurePortEnabled { get; set; }
    /// <summary><c>eureka:instance:leaseRenewalIntervalInSeconds</c>: heartbeat interval.</summary>
    public int LeaseRenewalIntervalInSeconds { get; set; } = 30;
    /// <summary><c>eureka:instance:leaseExpirationDurationInSeconds</c>: how long the registry waits for a heartbeat.</summary>
    public int LeaseExpirationDurationInSeconds { get; set; } = 90;
    /// <summary><c>eureka:instance:metadataMap</c>.</summary>
    public Dictionary<string, string> MetadataMap { get; set; } = [];
    /// <summary><c>eureka:instance:vipAddress</c>; defaults to the app name.</summary>
    public string? VipAddress { get; set; }
    /// <summary><c>eureka:instance:secureVipAddress</c>; defaults to the app name.</summary>
    public string? SecureVipAddress { get; set; }
    /// <summary><c>eureka:instance:statusPageUrlPath</c>.</summary>
    public string StatusPageUrlPath { get; set; } = "/info";
    /// <summary><c>eureka:instance:healthCheckUrlPath</c>.</summary>
    public string HealthCheckUrlPath { get; set; } = "/healthz";
    /// <summary><c>eureka:instance:homePageUrlPath</c>.</summary>
    public string HomePageUrlPath { get; set; } = "/";
}
