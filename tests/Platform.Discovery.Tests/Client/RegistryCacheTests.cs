using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Platform.Discovery.Client;
using Platform.Discovery.Client.Registry;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Client;

/// <summary>The client's registry copy: deltas with the hash-code check, full fetch when a delta was missed.</summary>
public sealed class RegistryCacheTests
{
    [Fact]
    public async Task Refresh_UsesDeltas_AndFallsBackToFullFetch_WhenTheHashCodeDisagrees()
    {
        var clock = TestDiscoveryServer.FakeClock();
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?> { ["Eureka:Server:DeltaRetentionSeconds"] = "30" }, clock);
        using var api = server.Client();
        await using var services = ClientServices(server.EurekaUrl);
        var cache = services.GetRequiredService<EurekaRegistryCache>();
        IDiscoveryClient discovery = cache;

        await Eureka.RegisterAsync(api, "orders", "o-1");
        await cache.RefreshAsync();
        Assert.Equal(["o-1"], discovery.GetInstances("orders").Select(i => i.InstanceId));
        Assert.Equal((1, 0), (cache.FullFetches, cache.DeltaFetches));

        await Eureka.RegisterAsync(api, "orders", "o-2");
        await Eureka.RegisterAsync(api, "orders", "o-3", status: "DOWN");
        await cache.RefreshAsync();
        Assert.Equal(["o-1", "o-2"], discovery.GetInstances("ORDERS").Select(i => i.InstanceId).Order());
        Assert.Equal((1, 1), (cache.FullFetches, cache.DeltaFetches));

        // The cancel leaves the delta window before the client asks: the delta is empty, the hash disagrees.
        using (var r = await api.DeleteAsync("apps/ORDERS/o-1")) r.EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromSeconds(31));
        await cache.RefreshAsync();
        Assert.Equal(["o-2"], discovery.GetInstances("orders").Select(i => i.InstanceId));
        Assert.Equal((2, 2), (cache.FullFetches, cache.DeltaFetches));
    }

    [Fact]
    public async Task ChangeToken_Fires_WhenTheCachedRegistryChanges()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var api = server.Client();
        await using var services = ClientServices(server.EurekaUrl);
        var cache = services.GetRequiredService<EurekaRegistryCache>();
        await cache.RefreshAsync();
        var token = cache.ChangeToken;
        await cache.RefreshAsync();
        Assert.False(token.HasChanged);
        await Eureka.RegisterAsync(api, "tokens", "t-1");
        await cache.RefreshAsync();
        Assert.True(token.HasChanged);
    }

    [Fact]
    public async Task Apply_ChangesTheCopyBetweenFetches_AndIgnoresAChangeOlderThanTheInstanceHeld()
    {
        // No fetch: every change comes from Apply, as registry events do.
        await using var services = ClientServices(new Uri("http://127.0.0.1:1/eureka/"));
        IDiscoveryClient discovery = services.GetRequiredService<EurekaRegistryCache>();
        var token = discovery.ChangeToken;

        var added = new EurekaInstance { InstanceId = "o-2", AppName = "ORDERS", HostName = "127.0.0.1", Port = 9002, ActionType = "ADDED", LastUpdatedTimestamp = 100 };
        discovery.Apply(added);
        Assert.True(token.HasChanged);
        Assert.Equal(["o-2"], discovery.GetInstances("orders").Select(i => i.InstanceId));

        discovery.Apply(added with { Status = "DOWN", ActionType = "MODIFIED", LastUpdatedTimestamp = 99 }); // a replayed, older event
        Assert.Equal(["o-2"], discovery.GetInstances("orders").Select(i => i.InstanceId));

        token = discovery.ChangeToken;
        discovery.Apply(added with { ActionType = "DELETED", LastUpdatedTimestamp = 101 });
        Assert.True(token.HasChanged);
        Assert.Empty(discovery.GetInstances("orders"));
        Assert.Empty(discovery.Services);
    }

    [Fact]
    public async Task Refresh_FetchesEverything_WhenTheRegistryHasNoDeltaEndpoint()
    {
        var ids = new List<string> { "a-1" };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var registry = builder.Build();
        registry.MapGet("/eureka/apps", () => Results.Json(new JsonObject
        {
            ["applications"] = new JsonObject
            {
                ["apps__hashcode"] = $"UP_{ids.Count}_",
                ["application"] = new JsonArray(new JsonObject { ["name"] = "A", ["instance"] = new JsonArray([.. ids.Select(id => Eureka.Instance("a", id)["instance"]!.DeepClone())]) }),
            },
        }));
        await registry.StartAsync();
        await using var services = ClientServices(new Uri(registry.Urls.First() + "/eureka/"));
        var cache = services.GetRequiredService<EurekaRegistryCache>();

        await cache.RefreshAsync();
        ids.Add("a-2");
        await cache.RefreshAsync();

        Assert.Equal(["a-1", "a-2"], ((IDiscoveryClient)cache).GetInstances("a").Select(i => i.InstanceId).Order());
        Assert.Equal(2, cache.FullFetches);
    }

    private static ServiceProvider ClientServices(Uri eureka)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["eureka:client:serviceUrl:defaultZone"] = eureka.ToString(),
            ["eureka:client:shouldRegisterWithEureka"] = "false",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddEurekaDiscoveryClient();
        return services.BuildServiceProvider();
    }
}
