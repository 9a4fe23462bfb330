using System.Net;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Discovery.Tests.Leases;

/// <summary>Lease expiry on a fake clock: the eviction task runs on the injected TimeProvider.</summary>
public sealed class LeaseExpiryTests
{
    [Fact]
    public async Task Instance_ThatStopsHeartbeating_IsEvictedAfterItsLease()
    {
        var clock = TestDiscoveryServer.FakeClock();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:EnableSelfPreservation"] = "false",
        }, clock);
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "mortal", "dies", duration: 20);
        await Eureka.RegisterAsync(client, "mortal", "lives", duration: 20);

        for (var s = 0; s < 15; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            using var r = await client.PutAsync("apps/MORTAL/lives", null);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }
        Assert.Equal(2, Eureka.Instances(await Eureka.GetJsonAsync(client, "apps")).Count());

        for (var s = 0; s < 10; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            using var r = await client.PutAsync("apps/MORTAL/lives", null);
        }
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            using var r = await client.GetAsync("apps/MORTAL/dies");
            return r.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "the silent instance to be evicted");
        using var alive = await client.GetAsync("apps/MORTAL/lives");
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        var delta = await Eureka.GetJsonAsync(client, "apps/delta");
        Assert.Contains(Eureka.Instances(delta), i => i["instanceId"]!.GetValue<string>() == "dies" && i["actionType"]!.GetValue<string>() == "DELETED");
    }

    [Fact]
    public async Task SelfPreservation_WhenMostRenewalsStop_KeepsExpiredInstances_AndSaysSo()
    {
        var clock = TestDiscoveryServer.FakeClock();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:EnableSelfPreservation"] = "true",
            ["Eureka:Server:SelfPreservationMinInstances"] = "3",
        }, clock);
        using var client = server.Client();
        for (var n = 0; n < 10; n++) await Eureka.RegisterAsync(client, "fleet", $"f-{n}", duration: 30);

        // A partition: nobody renews for three lease durations.
        for (var s = 0; s < 90; s += 5)
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Yield();
        }
        using var root = new HttpClient { BaseAddress = server.BaseUrl };
        var state = await Eventually.WaitAsync(async () =>
        {
            var s = await Eureka.GetJsonAsync(root, "eureka/server/state");
            return s["selfPreservationActive"]!.GetValue<bool>() ? s : null;
        }, TimeSpan.FromSeconds(5), "self-preservation to be reported active");
        Assert.Equal(0, state["renewsLastMinute"]!.GetValue<long>());
        Assert.Equal(17, state["renewsPerMinThreshold"]!.GetValue<int>());
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(10, Eureka.Instances(await Eureka.GetJsonAsync(client, "apps")).Count());

        var html = await root.GetStringAsync("/");
        Assert.Contains("Self-preservation is ACTIVE", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelfPreservation_WithFewInstances_DoesNotHoldBackEviction()
    {
        var clock = TestDiscoveryServer.FakeClock();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:EnableSelfPreservation"] = "true",
            ["Eureka:Server:SelfPreservationMinInstances"] = "3",
        }, clock);
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "lonely", "only-one", duration: 10);
        clock.Advance(TimeSpan.FromSeconds(11));
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            using var r = await client.GetAsync("apps/LONELY/only-one");
            return r.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(10), "the single silent instance to be evicted");
    }
}
