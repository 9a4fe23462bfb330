using System.Globalization;
using System.Text.Json;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api.Codecs;

/// <summary>
/// Writes Eureka's JSON documents exactly as Eureka's Jackson codec does: <c>application</c> and <c>instance</c>
/// always arrays, ports as <c>{"$": 8080, "@enabled": "true"}</c>, timestamps in <c>leaseInfo</c> as numbers but
/// <c>lastUpdatedTimestamp</c>/<c>lastDirtyTimestamp</c> as strings, an empty metadata map as its Java class.
/// </summary>
internal static class EurekaJsonWriter
{
    private const string EmptyMapClass = "java.util.Collections$EmptyMap";

    public static void WriteApplications(Utf8JsonWriter w, ApplicationsView view)
    {
        w.WriteStartObject();
        w.WriteStartObject("applications");
        w.WriteString("versions__delta", view.VersionDelta.ToString(CultureInfo.InvariantCulture));
        w.WriteString("apps__hashcode", view.AppsHashCode);
        w.WriteStartArray("application");
        foreach (var app in view.Applications) WriteApplicationBody(w, app);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteApplication(Utf8JsonWriter w, ApplicationView app)
    {
        w.WriteStartObject();
        w.WritePropertyName("application");
        WriteApplicationBody(w, app);
        w.WriteEndObject();
    }

    public static void WriteInstanceDocument(Utf8JsonWriter w, InstanceView instance)
    {
        w.WriteStartObject();
        w.WritePropertyName("instance");
        WriteInstance(w, instance);
        w.WriteEndObject();
    }

    public static void WriteInstance(Utf8JsonWriter w, InstanceView view)
    {
        var i = view.Info;
        w.WriteStartObject();
        w.WriteString("instanceId", i.InstanceId);
        w.WriteString("hostName", i.HostName);
        w.WriteString("app", i.App);
        w.WriteString("ipAddr", i.IpAddr);
        w.WriteString("status", EurekaNames.Of(i.Status));
        w.WriteString("overriddenStatus", EurekaNames.Of(i.OverriddenStatus));
        WritePort(w, "port", i.Port, i.PortEnabled);
        WritePort(w, "securePort", i.SecurePort, i.SecurePortEnabled);
        w.WriteNumber("countryId", i.CountryId);
        w.WriteStartObject("dataCenterInfo");
        w.WriteString("@class", i.DataCenterClass);
        w.WriteString("name", i.DataCenterName);
        if (i.DataCenterMetadata.Count > 0) WriteMap(w, "metadata", i.DataCenterMetadata);
        w.WriteEndObject();
        w.WriteStartObject("leaseInfo");
        w.WriteNumber("renewalIntervalInSecs", i.RenewalIntervalInSecs);
        w.WriteNumber("durationInSecs", i.DurationInSecs);
        w.WriteNumber("registrationTimestamp", view.Lease.Registration);
        w.WriteNumber("lastRenewalTimestamp", view.Lease.LastRenewal);
        w.WriteNumber("evictionTimestamp", view.Lease.Eviction);
        w.WriteNumber("serviceUpTimestamp", view.Lease.ServiceUp);
        w.WriteEndObject();
        if (i.Metadata.Count == 0)
        {
            w.WriteStartObject("metadata");
            w.WriteString("@class", EmptyMapClass);
            w.WriteEndObject();
        }
        else WriteMap(w, "metadata", i.Metadata);
        WriteOptional(w, "appGroupName", i.AppGroupName);
        WriteOptional(w, "homePageUrl", i.HomePageUrl);
        WriteOptional(w, "statusPageUrl", i.StatusPageUrl);
        WriteOptional(w, "healthCheckUrl", i.HealthCheckUrl);
        WriteOptional(w, "secureHealthCheckUrl", i.SecureHealthCheckUrl);
        WriteOptional(w, "vipAddress", i.VipAddress);
        WriteOptional(w, "secureVipAddress", i.SecureVipAddress);
        WriteOptional(w, "asgName", i.AsgName);
        w.WriteString("isCoordinatingDiscoveryServer", i.IsCoordinatingDiscoveryServer ? "true" : "false");
        w.WriteString("lastUpdatedTimestamp", i.LastUpdatedTimestamp.ToString(CultureInfo.InvariantCulture));
        w.WriteString("lastDirtyTimestamp", i.LastDirtyTimestamp.ToString(CultureInfo.InvariantCulture));
        w.WriteString("actionType", EurekaNames.Of(i.ActionType));
        w.WriteEndObject();
    }

    private static void WriteApplicationBody(Utf8JsonWriter w, ApplicationView app)
    {
        w.WriteStartObject();
        w.WriteString("name", app.Name);
        w.WriteStartArray("instance");
        foreach (var i in app.Instances) WriteInstance(w, i);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePort(Utf8JsonWriter w, string name, int port, bool enabled)
    {
        w.WriteStartObject(name);
        w.WriteNumber("$", port);
        w.WriteString("@enabled", enabled ? "true" : "false");
        w.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map) w.WriteString(k, v);
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }
}
