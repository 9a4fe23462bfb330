using System.Net;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Backends;

/// <summary>ConfigMaps written through the apiserver are served: the ones there at start from the list, later ones from their events.</summary>
public sealed class ConfigMapBackendTests(PostgresFixture pg, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task ConfigMaps_CreatedUpdatedDeleted_AreServedAndRefreshTheApplication()
    {
        await using var cluster = await ConfigMapCluster.StartAsync(pg, kafka);
        var busTopic = kafka.CreateTopic("bus", 1);
        // There before the server starts: listed into the store, refreshing nobody.
        await cluster.ApplyAsync("orders-base", "orders", null, new() { ["orders.size"] = "1", ["application.yml"] = "orders:\n  color: blue\n" });
        await cluster.ApplyAsync("other-ns", "orders", null, new() { ["orders.size"] = "99" }, ns: "team-b");
        var settings = cluster.ConfigServerSettings(kafka);
        settings["ConfigServer:Bus:Enabled"] = "true";
        settings["ConfigServer:Bus:Topic"] = busTopic;
        await using var host = await ConfigServerHost.StartAsync(settings);
        using var client = host.CreateClient();
        await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/dev")).Contains("configmap:default/orders-base", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "listed configmap served");

        await cluster.ApplyAsync("orders-dev", "orders", "dev", new() { ["orders.size"] = "2" });
        await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/dev")).Contains("orders-dev", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "new configmap served");

        var env = JsonDocument.Parse(await client.GetStringAsync("/orders/dev")).RootElement;
        Assert.Equal(["configmap:default/orders-dev", "configmap:default/orders-base"],
            env.GetProperty("propertySources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var merged = JsonDocument.Parse(await client.GetStringAsync("/orders-dev.json")).RootElement.GetProperty("orders");
        Assert.Equal("2", merged.GetProperty("size").GetString());
        Assert.Equal("blue", merged.GetProperty("color").GetString());
        // Exactly one refresh: the change after start, not what the list brought.
        var refresh = Assert.Single(kafka.ConsumeMany(busTopic, 2, TimeSpan.FromSeconds(5)));
        Assert.Equal("orders:**", JsonDocument.Parse(refresh.Message.Value).RootElement.GetProperty("destinationService").GetString());

        await cluster.DeleteAsync("orders-dev");
        await Eventually.WaitAsync(async () => !(await client.GetStringAsync("/orders/dev")).Contains("orders-dev", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "deleted configmap no longer served");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/orders/dev/some-branch")).StatusCode);
    }

    [Fact]
    public async Task Not_ready_until_the_configmaps_are_listed()
    {
        await using var cluster = await ConfigMapCluster.StartAsync(pg, kafka);
        var settings = cluster.ConfigServerSettings(kafka);
        settings["ConfigServer:ConfigMaps:ApiServerUrl"] = $"http://127.0.0.1:{Network.FreeTcpPort()}";
        await using var host = await ConfigServerHost.StartAsync(settings);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
    }
}
