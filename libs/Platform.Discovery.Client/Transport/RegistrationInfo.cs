namespace Platform.Discovery.Client.Transport;

/// <summary>What this instance registers, resolved from options and the addresses Kestrel bound.</summary>
internal sealed record RegistrationInfo(
    string AppName, string InstanceId, string HostName, string IpAddress, int Port, bool PortEnabled, int SecurePort,
    bool SecurePortEnabled, int RenewalIntervalSeconds, int DurationSeconds, IReadOnlyDictionary<string, string> Metadata,
    string VipAddress, string SecureVipAddress, string HomePageUrl, string StatusPageUrl, string HealthCheckUrl, long LastDirtyTimestamp);
