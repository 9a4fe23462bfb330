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
