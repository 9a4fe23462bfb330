using Platform.Discovery.Client.Registry;

namespace Platform.Gateway.Discovery;

/// <summary>Where the gateway sends an instance's traffic: <c>ipAddr</c> (else <c>hostName</c>), on the secure port when it is enabled.</summary>
internal static class InstanceAddress
{
    public static string Of(EurekaInstance i)
    {
        var host = i.IpAddr is { Length: > 0 } ip ? ip : i.HostName;
        var port = i.SecurePortEnabled ? i.SecurePort : i.Port;
        return $"{(i.SecurePortEnabled ? "https" : "http")}://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}";
    }
}
