using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using Platform.ConfigServer.Tests.Support;
using Platform.EventBus.CloudEvents;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Backends;

/// <summary>ConfigMaps arrive as the apiserver publishes them: CloudEvents on the ConfigMap topic carrying the whole object.</summary>
public sealed class ConfigMapBackendTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private static object ConfigMap(string name, long rv, string? app, string? profile, Dictionary<string, string> data, string ns = "default")
    {
        var labels = new Dictionary<string, string>();
        if (app is not null) labels["config.platform.io/application"] = app;
        if (profile is not null) labels["config.platform.io/profile"] = profile;
        return new
        {
            apiVersion = "v1",
            kind = "ConfigMap",
            metadata = new { name, @namespace = ns, resourceVersion = rv.ToString(System.Globalization.CultureInfo.InvariantCulture), labels },
            data,
        };
    }

    private async Task PublishAsync(string topic, string action, object configMap, string name)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var e = PlatformEvent.Create("/apiserver", $"io.platform.configmap.{action}", $"default/{name}", configMap, subject: $"configmaps/default/{name}");
        await producer.ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(e));
    }

    [Fact]
    public async Task ConfigMaps_CreatedUpdatedDeleted_AreServedAndRefreshTheApplication()
    {
        var cmTopic = kafka.CreateTopic("configmaps", 3);
        var busTopic = kafka.CreateTopic("bus", 1);
        // Published before the server starts: replayed into the store, refreshing nobody.
        await PublishAsync(cmTopic, "created", ConfigMap("orders-base", 10, "orders", null,
            new() { ["orders.size"] = "1", ["application.yml"] = "orders:\n  color: blue\n" }), "orders-base");
        await PublishAsync(cmTopic, "created", ConfigMap("other-ns", 11, "orders", null, new() { ["orders.size"] = "99" }, ns: "team-b"), "other-ns");
        await using var host = await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:ConfigMaps:Enabled"] = "true",
            ["ConfigServer:ConfigMaps:Topic"] = cmTopic,
            ["ConfigServer:Bus:Enabled"] = "true",
            ["ConfigServer:Bus:Topic"] = busTopic,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        });
        using var client = host.CreateClient();
        await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/dev")).Contains("configmap:default/orders-base", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "replayed configmap served");

        await PublishAsync(cmTopic, "created", ConfigMap("orders-dev", 12, "orders", "dev", new() { ["orders.size"] = "2" }), "orders-dev");
        await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/dev")).Contains("orders-dev", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "new configmap served");

        var env = JsonDocument.Parse(await client.GetStringAsync("/orders/dev")).RootElement;
        Assert.Equal(["configmap:default/orders-dev", "configmap:default/orders-base"],
            env.GetProperty("propertySources").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var merged = JsonDocument.Parse(await client.GetStringAsync("/orders-dev.json")).RootElement.GetProperty("orders");
        Assert.Equal("2", merged.GetProperty("size").GetString());
        Assert.Equal("blue", merged.GetProperty("color").GetString());
        // Exactly one refresh: the change after start, not the replayed history.
        var refresh = Assert.Single(kafka.ConsumeMany(busTopic, 2, TimeSpan.FromSeconds(5)));
        Assert.Equal("orders:**", JsonDocument.Parse(refresh.Message.Value).RootElement.GetProperty("destinationService").GetString());

        await PublishAsync(cmTopic, "deleted", ConfigMap("orders-dev", 13, "orders", "dev", new()), "orders-dev");
        await Eventually.WaitAsync(async () => !(await client.GetStringAsync("/orders/dev")).Contains("orders-dev", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "deleted configmap no longer served");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/orders/dev/some-branch")).StatusCode);
    }
}
