using System.Net;
using System.Text.Json;
using Platform.Contracts.Events;
using Platform.Contracts.Routing;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.Configuration;

/// <summary>Route resources followed on <c>platform.routes</c> as the apiserver publishes them.</summary>
[Collection(KafkaCollection.Name)]
public sealed class RouteResourceTests(KafkaFixture kafka)
{
    private static object Route(string name, string version, string uri, string path, string header) => new
    {
        apiVersion = "gateway.platform.io/v1",
        kind = "Route",
        metadata = new { name, @namespace = "team-a", resourceVersion = version, uid = Guid.NewGuid().ToString() },
        spec = new RouteSpec
        {
            Uri = uri,
            Predicates = [JsonSerializer.SerializeToElement($"Path=/{name}/**")],
            Filters = [JsonSerializer.SerializeToElement(new { name = "AddRequestHeader", args = new { name = "X-Version", value = header } })],
        },
    };

    [Fact]
    public async Task RouteResource_CreatedUpdatedDeleted_ServesWithoutRestartThen404()
    {
        await using var backend = await TestBackend.StartAsync();
        var topic = kafka.CreateTopic("routes");
        await using var gw = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = topic,
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
        });
        using var events = new EventProducer(kafka.BootstrapServers);
        var type = (string action) => EventTypes.For("route", action);

        await events.PublishAsync(topic, type("created"), "team-a/orders", Route("orders", "1", backend.Url, "/orders/**", "v1"));
        var v1 = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.GetAsync("/orders/list");
            return r.StatusCode == HttpStatusCode.OK ? await EchoResponse.ReadAsync(r) : null;
        }, TimeSpan.FromSeconds(20), "the created route to serve");
        Assert.Equal("v1", v1.Header("X-Version"));
        Assert.Contains(gw.Runtime.Current.Routes, r => r.Id == "team-a/orders" && r.Definition.Source == "resource");

        await events.PublishAsync(topic, type("updated"), "team-a/orders", Route("orders", "3", backend.Url, "/orders/**", "v3"));
        // A late, older version must not roll the route back.
        await events.PublishAsync(topic, type("updated"), "team-a/orders", Route("orders", "2", backend.Url, "/orders/**", "v2"));
        await Eventually.WaitAsync(async () => (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/orders/list"))).Header("X-Version") == "v3",
            TimeSpan.FromSeconds(10), "the updated route");
        // The stale v2 event follows v3 on the same partition; once a later marker route is live, v2 has been processed.
        await events.PublishAsync(topic, type("created"), "team-a/orders", Route("marker", "1", backend.Url, "/marker/**", "m"));
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/marker/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "marker route");
        Assert.Equal("v3", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/orders/list"))).Header("X-Version"));

        await events.PublishAsync(topic, type("deleted"), "team-a/orders", Route("orders", "4", backend.Url, "/orders/**", "v3"));
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/orders/list")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(10), "the deleted route to answer 404");
    }

    [Fact]
    public async Task RouteResource_Invalid_IsRejectedAndPreviousVersionKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync();
        var topic = kafka.CreateTopic("routes");
        await using var gw = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = topic,
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
        });
        using var events = new EventProducer(kafka.BootstrapServers);
        await events.PublishAsync(topic, EventTypes.For("route", "created"), "team-a/pay", Route("pay", "1", backend.Url, "/pay/**", "good"));
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/pay/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "pay route");

        await events.PublishAsync(topic, EventTypes.For("route", "updated"), "team-a/pay", Route("pay", "2", "ftp://nowhere", "/pay/**", "bad"));

        var line = await Eventually.WaitAsync(() => Task.FromResult(gw.Logs.Lines.FirstOrDefault(l => l.Contains("team-a/pay rejected", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), "the rejection");
        Assert.Contains("argument 'uri'", line, StringComparison.Ordinal);
        Assert.Equal("good", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/pay/x"))).Header("X-Version"));
    }
}
