using System.Net;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Api;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Heartbeat_KnownInstance_Is200_UnknownIs404()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "beat", "beat-1");
        using var ok = await client.PutAsync("apps/BEAT/beat-1?status=UP", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var unknown = await client.PutAsync("apps/BEAT/beat-2", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_WithNewerLastDirtyTimestamp_Is404SoTheClientReRegisters()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        var dirty = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var r = await client.PostAsync("apps/dirty", Eureka.Json(Eureka.Instance("dirty", "d-1", lastDirty: dirty)))) r.EnsureSuccessStatusCode();
        using var same = await client.PutAsync($"apps/DIRTY/d-1?status=UP&lastDirtyTimestamp={dirty}", null);
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        using var newer = await client.PutAsync($"apps/DIRTY/d-1?status=UP&lastDirtyTimestamp={dirty + 1000}", null);
        Assert.Equal(HttpStatusCode.NotFound, newer.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_WithStatusDown_ChangesStatusAndHashCode()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "flappy", "f-1");
        await Eureka.RegisterAsync(client, "flappy", "f-2");
        using (var r = await client.PutAsync("apps/FLAPPY/f-1?status=DOWN", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var doc = await Eureka.GetJsonAsync(client, "apps");
        Assert.Equal("DOWN_1_UP_1_", doc["applications"]!["apps__hashcode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_RemovesInstance_AndEmptyApplicationIsOmitted()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "gone", "g-1");
        using (var r = await client.DeleteAsync("apps/GONE/g-1")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var again = await client.DeleteAsync("apps/GONE/g-1")) Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var doc = await Eureka.GetJsonAsync(client, "apps");
        Assert.Empty(doc["applications"]!["application"]!.AsArray());
    }

    [Fact]
    public async Task StatusOverride_SurvivesHeartbeats_UntilDeleted()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "ops", "o-1");
        using (var r = await client.PutAsync("apps/OPS/o-1/status?value=OUT_OF_SERVICE", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using (var r = await client.PutAsync("apps/OPS/o-1?status=UP", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var instance = (await Eureka.GetJsonAsync(client, "apps/OPS/o-1"))["instance"]!;
        Assert.Equal("OUT_OF_SERVICE", instance["status"]!.GetValue<string>());
        Assert.Equal("OUT_OF_SERVICE", instance["overriddenStatus"]!.GetValue<string>());
        Assert.Equal("OUT_OF_SERVICE_1_", (await Eureka.GetJsonAsync(client, "apps"))["applications"]!["apps__hashcode"]!.GetValue<string>());

        using (var r = await client.DeleteAsync("apps/OPS/o-1/status?value=UP")) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        instance = (await Eureka.GetJsonAsync(client, "apps/OPS/o-1"))["instance"]!;
        Assert.Equal("UP", instance["status"]!.GetValue<string>());
        Assert.Equal("UNKNOWN", instance["overriddenStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Metadata_Update_IsVisibleInRegistry()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "meta", "m-1");
        using (var r = await client.PutAsync("apps/META/m-1/metadata?zone=eu-1&weight=5", null)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var metadata = (await Eureka.GetJsonAsync(client, "apps/META/m-1"))["instance"]!["metadata"]!;
        Assert.Equal("eu-1", metadata["zone"]!.GetValue<string>());
        Assert.Equal("5", metadata["weight"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delta_AppliedToPreviousFetch_MatchesHashCodeOfNewRegistry()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "delta", "d-1");
        await Eureka.RegisterAsync(client, "delta", "d-2");
        var local = Eureka.Instances(await Eureka.GetJsonAsync(client, "apps"))
            .ToDictionary(i => i["instanceId"]!.GetValue<string>(), i => i["status"]!.GetValue<string>());

        await Eureka.RegisterAsync(client, "delta", "d-3", status: "STARTING");
        using (var r = await client.DeleteAsync("apps/DELTA/d-1")) r.EnsureSuccessStatusCode();
        var delta = await Eureka.GetJsonAsync(client, "apps/delta");
        foreach (var i in Eureka.Instances(delta))
        {
            var id = i["instanceId"]!.GetValue<string>();
            if (i["actionType"]!.GetValue<string>() == "DELETED") local.Remove(id);
            else local[id] = i["status"]!.GetValue<string>();
        }
        var recomputed = string.Concat(local.Values.GroupBy(s => s).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}_{g.Count()}_"));
        Assert.Equal("STARTING_1_UP_1_", recomputed);
        Assert.Equal(recomputed, delta["applications"]!["apps__hashcode"]!.GetValue<string>());
        Assert.Contains(Eureka.Instances(delta), i => i["actionType"]!.GetValue<string>() == "DELETED" && i["instanceId"]!.GetValue<string>() == "d-1");
    }

    [Fact]
    public async Task DeltaHashCode_FollowsEveryKindOfChange_AsTheFullRegistryCountsIt()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "hash", "h-1");
        await Eureka.RegisterAsync(client, "hash", "h-2");
        await Eureka.RegisterAsync(client, "hash", "h-3", status: "STARTING");
        await Eureka.RegisterAsync(client, "other", "o-1", status: "DOWN");
        await Eureka.RegisterAsync(client, "hash", "h-3"); // registered again, now UP
        using (var r = await client.PutAsync("apps/HASH/h-1/status?value=OUT_OF_SERVICE", null)) r.EnsureSuccessStatusCode();
        using (var r = await client.DeleteAsync("apps/HASH/h-2")) r.EnsureSuccessStatusCode();
        using (var r = await client.DeleteAsync("apps/OTHER/o-1")) r.EnsureSuccessStatusCode();

        // The delta's hash is kept by counting each change; the full document's is counted from every instance.
        var full = await Eureka.GetJsonAsync(client, "apps");
        var delta = await Eureka.GetJsonAsync(client, "apps/delta");
        Assert.Equal("OUT_OF_SERVICE_1_UP_1_", full["applications"]!["apps__hashcode"]!.GetValue<string>());
        Assert.Equal("OUT_OF_SERVICE_1_UP_1_", delta["applications"]!["apps__hashcode"]!.GetValue<string>());
    }

    [Fact]
    public async Task FullFetch_IsServedFromCache_ButReflectsEveryChange()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "cached", "c-1");
        var first = await Eureka.GetJsonAsync(client, "apps");
        await Eureka.GetJsonAsync(client, "apps");
        var cache = server.Services.GetRequiredService<Platform.Discovery.Api.ResponseCache>();
        Assert.True(cache.Hits >= 1);
        await Eureka.RegisterAsync(client, "cached", "c-2");
        var second = await Eureka.GetJsonAsync(client, "apps");
        Assert.Single(Eureka.Instances(first));
        Assert.Equal(2, Eureka.Instances(second).Count());
    }

    [Fact]
    public async Task FullFetch_AfterAChange_IsRenderedInTheBackground_BeforeTheNextRead()
    {
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?> { ["Eureka:Server:ResponseCacheWarmIntervalSeconds"] = "0.05" });
        using var client = server.Client();
        await Eureka.RegisterAsync(client, "warm", "w-1");
        await Eureka.GetJsonAsync(client, "apps");
        var cache = server.Services.GetRequiredService<Platform.Discovery.Api.ResponseCache>();
        var registry = server.Services.GetRequiredService<Platform.Discovery.Registry.InstanceRegistry>();
        await Eureka.RegisterAsync(client, "warm", "w-2");
        var missesBefore = cache.Misses;
        var version = registry.Version;
        await Platform.Testing.Eventually.WaitAsync(() => cache.IsCurrent(new(Platform.Discovery.Api.ResponseCache.FullKind, false, false), version),
            TimeSpan.FromSeconds(5), "the warmer to render the new version");
        var doc = await Eureka.GetJsonAsync(client, "apps");
        Assert.Equal(2, Eureka.Instances(doc).Count());
        Assert.Equal(missesBefore, cache.Misses);
    }
}
