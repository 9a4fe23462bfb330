using System.Net;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Client;

/// <summary>The .NET client inside the sample service: register, resolve each other by name, disappear on shutdown.</summary>
public sealed class SampleServiceDiscoveryTests
{
    [Fact]
    public async Task TwoSamples_RegisterAndResolveEachOtherByName_RoundRobin_AndDisappearOnShutdown()
    {
        await using var registry = await TestDiscoveryServer.StartAsync();
        using var api = registry.Client();
        await using var first = await SampleInstance.StartAsync(registry.EurekaUrl, "my-first-service");
        await using var second = await SampleInstance.StartAsync(registry.EurekaUrl, "my-second-service");

        var instance = await Eventually.WaitAsync(async () =>
        {
            using var r = await api.GetAsync("apps/MY-SECOND-SERVICE");
            return r.IsSuccessStatusCode ? JsonNode.Parse(await r.Content.ReadAsStringAsync())!["application"]!["instance"]![0] : null;
        }, TimeSpan.FromSeconds(10), "my-second-service to register");
        Assert.Equal(second.Port, instance["port"]!["$"]!.GetValue<int>());
        Assert.Equal("127.0.0.1", instance["hostName"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:my-second-service:{second.Port}", instance["instanceId"]!.GetValue<string>());

        Assert.Equal($"HI Port {second.Port}", await CallAsync(first, "my-second-service", "second-service/check"));
        Assert.Equal($"HI Port {first.Port}", await CallAsync(second, "my-first-service", "first-service/check"));

        await using var secondB = await SampleInstance.StartAsync(registry.EurekaUrl, "my-second-service");
        var seen = await Eventually.WaitAsync(async () =>
        {
            var ports = new HashSet<string>();
            for (var n = 0; n < 4; n++) ports.Add(await CallAsync(first, "my-second-service", "second-service/check"));
            return ports.Count == 2 ? ports : null;
        }, TimeSpan.FromSeconds(10), "round robin over both second-service instances");
        Assert.Equal(new HashSet<string> { $"HI Port {second.Port}", $"HI Port {secondB.Port}" }, seen);

        await secondB.StopAsync();
        var byId = await api.GetAsync($"apps/MY-SECOND-SERVICE/127.0.0.1:my-second-service:{secondB.Port}");
        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        await Eventually.WaitAsync(async () =>
        {
            for (var n = 0; n < 4; n++)
                if (await CallAsync(first, "my-second-service", "second-service/check") != $"HI Port {second.Port}") return false;
            return true;
        }, TimeSpan.FromSeconds(10), "the stopped instance to leave the caller's registry copy");
    }

    [Fact]
    public async Task Client_WhenRegistryForgetsIt_RegistersAgainOnNextHeartbeat()
    {
        await using var registry = await TestDiscoveryServer.StartAsync();
        using var api = registry.Client();
        await using var sample = await SampleInstance.StartAsync(registry.EurekaUrl, "phoenix");
        var id = $"127.0.0.1:phoenix:{sample.Port}";
        await Eventually.WaitAsync(async () => (await api.GetAsync($"apps/PHOENIX/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(10), "registration");
        using (var r = await api.DeleteAsync($"apps/PHOENIX/{id}")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await Eventually.WaitAsync(async () => (await api.GetAsync($"apps/PHOENIX/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(10), "re-registration after a 404 heartbeat");
    }

    [Fact]
    public async Task Client_SteeltoePlainServiceUrlAndSpringHyphenatedKeys_AreHonoured()
    {
        await using var registry = await TestDiscoveryServer.StartAsync();
        using var api = registry.Client();
        await using var sample = await SampleInstance.StartAsync(new Uri("http://127.0.0.1:1/eureka/"), "keys", new Dictionary<string, string?>
        {
            ["eureka:client:serviceUrl:defaultZone"] = null,
            ["eureka:client:serviceUrl"] = registry.EurekaUrl.ToString(),
            ["eureka:instance:instance-id"] = "keys-custom-id",
            ["eureka:instance:metadataMap:zone"] = "zone-a",
        });
        var instance = await Eventually.WaitAsync(async () =>
        {
            using var r = await api.GetAsync("apps/KEYS/keys-custom-id");
            return r.IsSuccessStatusCode ? JsonNode.Parse(await r.Content.ReadAsStringAsync())!["instance"] : null;
        }, TimeSpan.FromSeconds(10), "registration under the configured instance id");
        Assert.Equal("zone-a", instance["metadata"]!["zone"]!.GetValue<string>());
        Assert.Equal(sample.Port, instance["port"]!["$"]!.GetValue<int>());
    }

    private static async Task<string> CallAsync(SampleInstance from, string service, string path) =>
        await Eventually.WaitAsync(async () =>
        {
            // A probe gets 10 s (the sample answers a call by name within its 5 s CallTimeout): one request stuck on
            // a connection (a CI run once saw one wait out HttpClient's 100 s) is given up and tried again.
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var r = await from.Client.GetAsync($"{from.PathPrefix()}/call/{service}/{path}", probe.Token);
            if (!r.IsSuccessStatusCode) return null;
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
            return body["status"]!.GetValue<int>() == 200 ? body["body"]!.GetValue<string>() : null;
        }, TimeSpan.FromSeconds(30), $"{service} to be reachable by name");
}
