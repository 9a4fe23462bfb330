using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Discovery.Client.Registry;

namespace Platform.Discovery.Client.Transport;

/// <summary>Reads and writes Eureka's JSON documents (ports as <c>{"$": n, "@enabled": "true"}</c>, arrays or single objects).</summary>
internal static class EurekaJson
{
    public static JsonObject RegistrationBody(RegistrationInfo r) => new()
    {
        ["instance"] = new JsonObject
        {
            ["instanceId"] = r.InstanceId,
            ["app"] = r.AppName,
            ["hostName"] = r.HostName,
            ["ipAddr"] = r.IpAddress,
            ["status"] = "UP",
            ["overriddenStatus"] = "UNKNOWN",
            ["port"] = new JsonObject { ["$"] = r.Port, ["@enabled"] = r.PortEnabled ? "true" : "false" },
            ["securePort"] = new JsonObject { ["$"] = r.SecurePort, ["@enabled"] = r.SecurePortEnabled ? "true" : "false" },
            ["countryId"] = 1,
            ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
            ["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = r.RenewalIntervalSeconds, ["durationInSecs"] = r.DurationSeconds },
            ["metadata"] = r.Metadata.Count == 0
                ? new JsonObject { ["@class"] = "java.util.Collections$EmptyMap" }
                : new JsonObject(r.Metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            ["homePageUrl"] = r.HomePageUrl,
            ["statusPageUrl"] = r.StatusPageUrl,
            ["healthCheckUrl"] = r.HealthCheckUrl,
            ["vipAddress"] = r.VipAddress,
            ["secureVipAddress"] = r.SecureVipAddress,
            ["isCoordinatingDiscoveryServer"] = "false",
            ["lastDirtyTimestamp"] = r.LastDirtyTimestamp.ToString(CultureInfo.InvariantCulture),
        },
    };

    public static EurekaApplications ReadApplications(JsonNode? document)
    {
        var root = document?["applications"] ?? throw new FormatException("applications: missing");
        var apps = new Dictionary<string, IReadOnlyList<EurekaInstance>>(StringComparer.OrdinalIgnoreCase);
        foreach (var app in Many(root["application"]))
        {
            var instances = Many(app?["instance"]).Select(ReadInstance).OfType<EurekaInstance>().ToList();
            if (instances.Count > 0 && app?["name"] is JsonValue name) apps[name.ToString()] = instances;
        }
        return new EurekaApplications(apps, (root["apps__hashcode"] as JsonValue)?.ToString() ?? "");
    }

    private static EurekaInstance? ReadInstance(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        string? Str(string n) => o[n] is JsonValue v ? v.ToString() : null;
        var (port, portEnabled) = Port(o["port"]);
        var (securePort, secureEnabled) = Port(o["securePort"]);
        var id = Str("instanceId") ?? Str("hostName");
        if (id is null || Str("app") is not { } app) return null;
        return new EurekaInstance
        {
            InstanceId = id,
            AppName = app,
            HostName = Str("hostName") ?? Str("ipAddr") ?? "localhost",
            IpAddr = Str("ipAddr"),
            Port = port,
            PortEnabled = portEnabled,
            SecurePort = securePort,
            SecurePortEnabled = secureEnabled,
            Status = Str("status") ?? "UNKNOWN",
            VipAddress = Str("vipAddress"),
            ActionType = Str("actionType"),
            LastUpdatedTimestamp = long.TryParse(Str("lastUpdatedTimestamp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var updated) ? updated : 0,
            Metadata = o["metadata"] is JsonObject m
                ? m.Where(kv => kv.Key != "@class" && kv.Value is JsonValue).ToDictionary(kv => kv.Key, kv => kv.Value!.ToString())
                : new Dictionary<string, string>(),
        };
    }

    private static (int Port, bool Enabled) Port(JsonNode? node) => node switch
    {
        JsonObject o => (Int(o["$"]), !string.Equals((o["@enabled"] as JsonValue)?.ToString(), "false", StringComparison.OrdinalIgnoreCase)),
        JsonValue v => (Int(v), true),
        _ => (0, false),
    };

    private static int Int(JsonNode? node) =>
        node is JsonValue v && int.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : 0;

    private static IEnumerable<JsonNode?> Many(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o => [o],
        _ => [],
    };
}
