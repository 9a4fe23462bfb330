using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Discovery.Tests.Infrastructure;

/// <summary>What a Eureka client sends, written out by hand so the tests pin the wire format.</summary>
internal static class Eureka
{
    public static JsonObject Instance(string app, string id, int port = 8080, string status = "UP", string? vip = null,
        int renewal = 30, int duration = 90, long? lastDirty = null) => new()
    {
        ["instance"] = new JsonObject
        {
            ["instanceId"] = id,
            ["hostName"] = "127.0.0.1",
            ["app"] = app.ToUpperInvariant(),
            ["ipAddr"] = "127.0.0.1",
            ["status"] = status,
            ["port"] = new JsonObject { ["$"] = port, ["@enabled"] = "true" },
            ["securePort"] = new JsonObject { ["$"] = 443, ["@enabled"] = "false" },
            ["vipAddress"] = vip ?? app.ToLowerInvariant(),
            ["secureVipAddress"] = vip ?? app.ToLowerInvariant(),
            ["dataCenterInfo"] = new JsonObject { ["@class"] = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo", ["name"] = "MyOwn" },
            ["leaseInfo"] = new JsonObject { ["renewalIntervalInSecs"] = renewal, ["durationInSecs"] = duration },
            ["lastDirtyTimestamp"] = (lastDirty ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    public static async Task RegisterAsync(HttpClient client, string app, string id, int port = 8080, string status = "UP", int duration = 90)
    {
        using var response = await client.PostAsync($"apps/{app}", Json(Instance(app, id, port, status, duration: duration)));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Instances of the full registry, flattened.</summary>
    public static IEnumerable<JsonObject> Instances(JsonObject apps) =>
        apps["applications"]!["application"]!.AsArray().SelectMany(a => a!["instance"]!.AsArray()).Cast<JsonObject>();
}
