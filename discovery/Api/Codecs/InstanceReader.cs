using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Discovery.Registry;

namespace Platform.Discovery.Api.Codecs;

/// <summary>
/// Reads an instance from a Eureka JSON object (or XML converted by <see cref="XmlToJson"/>). Lenient in what
/// clients really send: ports as numbers, strings or <c>{"$", "@enabled"}</c>; booleans as strings;
/// <c>overriddenStatus</c> or <c>overriddenstatus</c>.
/// </summary>
internal static class InstanceReader
{
    public static ParseResult<InstanceInfo> Read(JsonNode? node, string field, string? pathApp, long nowMs)
    {
        if (node is not JsonObject o) return ParseResult<InstanceInfo>.Fail(field, "must be an object");
        string? Str(string name) => o[name] is JsonValue v ? v.ToString() : null;

        var app = Str("app")?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(app)) app = pathApp;
        if (string.IsNullOrEmpty(app)) return ParseResult<InstanceInfo>.Fail(field + ".app", "required");
        if (pathApp is not null && app != pathApp)
            return ParseResult<InstanceInfo>.Fail(field + ".app", $"'{app}' does not match the application '{pathApp}' in the path");
        var hostName = Str("hostName");
        if (string.IsNullOrWhiteSpace(hostName)) return ParseResult<InstanceInfo>.Fail(field + ".hostName", "required");
        var id = Str("instanceId");
        if (string.IsNullOrWhiteSpace(id)) id = hostName;
        if (id.Length > 512) return ParseResult<InstanceInfo>.Fail(field + ".instanceId", "longer than 512 characters");

        var status = InstanceStatus.Up;
        if (Str("status") is { } s && !EurekaNames.TryParseStatus(s, out status))
            return ParseResult<InstanceInfo>.Fail(field + ".status", $"'{s}' is not one of UP, DOWN, STARTING, OUT_OF_SERVICE, UNKNOWN");
        var overridden = InstanceStatus.Unknown;
        if ((Str("overriddenStatus") ?? Str("overriddenstatus")) is { } os && !EurekaNames.TryParseStatus(os, out overridden))
            return ParseResult<InstanceInfo>.Fail(field + ".overriddenStatus", $"'{os}' is not a status");

        if (!ReadPort(o["port"], 7001, true, out var port, out var portEnabled))
            return ParseResult<InstanceInfo>.Fail(field + ".port", "must be a port number 0-65535");
        if (!ReadPort(o["securePort"], 7002, false, out var securePort, out var secureEnabled))
            return ParseResult<InstanceInfo>.Fail(field + ".securePort", "must be a port number 0-65535");

        var dcClass = InstanceInfo.DefaultDataCenterClass;
        var dcName = "MyOwn";
        IReadOnlyDictionary<string, string> dcMetadata = InstanceInfo.Empty;
        if (o["dataCenterInfo"] is JsonObject dc)
        {
            dcClass = (dc["@class"] as JsonValue)?.ToString() ?? dcClass;
            dcName = (dc["name"] as JsonValue)?.ToString() ?? dcName;
            dcMetadata = ReadMap(dc["metadata"]);
        }
        else if (o["dataCenterInfo"] is not null) return ParseResult<InstanceInfo>.Fail(field + ".dataCenterInfo", "must be an object");

        var renewal = 30;
        var duration = 90;
        if (o["leaseInfo"] is JsonObject lease)
        {
            if (!ReadInt(lease["renewalIntervalInSecs"], 30, out renewal) || renewal <= 0)
                return ParseResult<InstanceInfo>.Fail(field + ".leaseInfo.renewalIntervalInSecs", "must be a positive number of seconds");
            if (!ReadInt(lease["durationInSecs"], 90, out duration) || duration <= 0)
                return ParseResult<InstanceInfo>.Fail(field + ".leaseInfo.durationInSecs", "must be a positive number of seconds");
        }
        if (!ReadLong(o["lastDirtyTimestamp"], nowMs, out var dirty))
            return ParseResult<InstanceInfo>.Fail(field + ".lastDirtyTimestamp", "must be Unix milliseconds");
        if (!ReadInt(o["countryId"], 1, out var country)) return ParseResult<InstanceInfo>.Fail(field + ".countryId", "must be a number");

        return ParseResult<InstanceInfo>.Success(new InstanceInfo
        {
            InstanceId = id,
            App = app,
            HostName = hostName,
            IpAddr = Str("ipAddr") ?? hostName,
            Status = status,
            OverriddenStatus = overridden,
            Port = port,
            PortEnabled = portEnabled,
            SecurePort = securePort,
            SecurePortEnabled = secureEnabled,
            CountryId = country,
            DataCenterClass = dcClass,
            DataCenterName = dcName,
            DataCenterMetadata = dcMetadata,
            RenewalIntervalInSecs = renewal,
            DurationInSecs = duration,
            Metadata = ReadMap(o["metadata"]),
            HomePageUrl = Str("homePageUrl"),
            StatusPageUrl = Str("statusPageUrl"),
            HealthCheckUrl = Str("healthCheckUrl"),
            SecureHealthCheckUrl = Str("secureHealthCheckUrl"),
            VipAddress = Str("vipAddress"),
            SecureVipAddress = Str("secureVipAddress"),
            AppGroupName = Str("appGroupName"),
            AsgName = Str("asgName"),
            IsCoordinatingDiscoveryServer = string.Equals(Str("isCoordinatingDiscoveryServer"), "true", StringComparison.OrdinalIgnoreCase),
            LastDirtyTimestamp = dirty,
            LastUpdatedTimestamp = nowMs,
        });
    }

    /// <summary>A map, ignoring Java's <c>@class</c> marker of an empty map.</summary>
    public static IReadOnlyDictionary<string, string> ReadMap(JsonNode? node)
    {
        if (node is not JsonObject m) return InstanceInfo.Empty;
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in m)
            if (k != "@class" && v is JsonValue) d[k] = v.ToString();
        return d.Count == 0 ? InstanceInfo.Empty : d;
    }

    private static bool ReadPort(JsonNode? node, int fallback, bool enabledFallback, out int port, out bool enabled)
    {
        port = fallback;
        enabled = enabledFallback;
        if (node is null) return true;
        if (node is JsonObject o)
        {
            if (o["@enabled"] is JsonValue e) enabled = string.Equals(e.ToString(), "true", StringComparison.OrdinalIgnoreCase);
            return ReadInt(o["$"], fallback, out port) && port is >= 0 and <= 65535;
        }
        return ReadInt(node, fallback, out port) && port is >= 0 and <= 65535;
    }

    private static bool ReadInt(JsonNode? node, int fallback, out int value)
    {
        var ok = ReadLong(node, fallback, out var l) && l is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)l : fallback;
        return ok;
    }

    private static bool ReadLong(JsonNode? node, long fallback, out long value)
    {
        value = fallback;
        if (node is null) return true;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<long>(out value)) return true;
        if (v.TryGetValue<double>(out var d) && d == Math.Floor(d)) { value = (long)d; return true; }
        return long.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}
