using System.Net;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Replication;

/// <summary>Three registry servers on loopback replicating to each other through /eureka/peerreplication/batch.</summary>
public sealed class PeerReplicationTests
{
    [Fact]
    public async Task ThreePeers_ReplicateRegisterStatusCancel_SurviveAPeerLoss_AndARestartedPeerSyncs()
    {
        int[] ports = [Network.FreeTcpPort(), Network.FreeTcpPort(), Network.FreeTcpPort()];
        var zone = string.Join(",", ports.Select(p => $"http://127.0.0.1:{p}/eureka/"));
        var settings = new Dictionary<string, string?> { ["eureka:client:serviceUrl:defaultZone"] = zone };
        var a = await TestDiscoveryServer.StartAsync(settings, port: ports[0]);
        await using var b = await TestDiscoveryServer.StartAsync(settings, port: ports[1]);
        await using var c = await TestDiscoveryServer.StartAsync(settings, port: ports[2]);
        using var onA = a.Client();
        using var onB = b.Client();
        using var onC = c.Client();

        // A sample service registers through the first URL (A) and fails over when A dies.
        await using var sample = await SampleInstance.StartAsync(new Uri(zone.Split(',')[0]), "replicated", new Dictionary<string, string?>
        {
            ["eureka:client:serviceUrl:defaultZone"] = zone,
            ["eureka:client:shouldFetchRegistry"] = "false",
            ["eureka:client:eurekaServerConnectTimeoutSeconds"] = "1",
        });
        var id = $"127.0.0.1:replicated:{sample.Port}";
        await WaitForInstanceAsync(onA, $"apps/REPLICATED/{id}");
        var onPeerB = await WaitForInstanceAsync(onB, $"apps/REPLICATED/{id}");
        var onPeerC = await WaitForInstanceAsync(onC, $"apps/REPLICATED/{id}");
        Assert.Equal(sample.Port, onPeerB["port"]!["$"]!.GetValue<int>());
        Assert.Equal("UP", onPeerC["status"]!.GetValue<string>());

        // Heartbeats reach C by replication: its lease renews although the client never talks to C.
        var renewedOnC = Renewal(onPeerC);
        await Eventually.WaitAsync(async () => Renewal(await InstanceAsync(onC, $"apps/REPLICATED/{id}")) > renewedOnC,
            TimeSpan.FromSeconds(10), "a replicated heartbeat on C");

        // Kill A: the client fails over to B, and B replicates the heartbeats to C.
        await a.DisposeAsync();
        var beforeLoss = Renewal(await InstanceAsync(onC, $"apps/REPLICATED/{id}"));
        await Eventually.WaitAsync(async () => Renewal(await InstanceAsync(onC, $"apps/REPLICATED/{id}")) > beforeLoss + 1500,
            TimeSpan.FromSeconds(15), "heartbeats to continue through B after A died");

        // A status override on C and a cancel on B replicate too.
        await Eureka.RegisterAsync(onB, "manual", "m-1");
        await WaitForInstanceAsync(onC, "apps/MANUAL/m-1");
        using (var r = await onC.PutAsync("apps/MANUAL/m-1/status?value=OUT_OF_SERVICE", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await Eventually.WaitAsync(async () => (await InstanceAsync(onB, "apps/MANUAL/m-1"))["status"]!.GetValue<string>() == "OUT_OF_SERVICE",
            TimeSpan.FromSeconds(10), "the status override to reach B");
        await Eureka.RegisterAsync(onC, "manual", "m-2");
        await WaitForInstanceAsync(onB, "apps/MANUAL/m-2");
        using (var r = await onB.DeleteAsync("apps/MANUAL/m-2")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await Eventually.WaitAsync(async () => (await onC.GetAsync("apps/MANUAL/m-2")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(10), "the cancel to reach C");

        // A restarted A copies the registry from its peers before any client talks to it.
        await using var restarted = await TestDiscoveryServer.StartAsync(settings, port: ports[0]);
        using var onRestarted = restarted.Client();
        var copied = await WaitForInstanceAsync(onRestarted, "apps/MANUAL/m-1");
        Assert.Equal("OUT_OF_SERVICE", copied["status"]!.GetValue<string>());
        await WaitForInstanceAsync(onRestarted, $"apps/REPLICATED/{id}");

        using var root = new HttpClient { BaseAddress = b.BaseUrl };
        var state = JsonNode.Parse(await root.GetStringAsync("eureka/server/state"))!;
        Assert.Equal(2, state["replicas"]!.AsArray().Count);
    }

    private static long Renewal(JsonNode instance) => instance["leaseInfo"]!["lastRenewalTimestamp"]!.GetValue<long>();

    private static async Task<JsonNode> InstanceAsync(HttpClient client, string path) =>
        (await Eureka.GetJsonAsync(client, path))["instance"]!;

    private static Task<JsonNode> WaitForInstanceAsync(HttpClient client, string path) =>
        Eventually.WaitAsync(async () =>
        {
            using var r = await client.GetAsync(path);
            return r.IsSuccessStatusCode ? JsonNode.Parse(await r.Content.ReadAsStringAsync())!["instance"] : null;
        }, TimeSpan.FromSeconds(10), path + " on " + client.BaseAddress);
}
