using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Platform.ConfigServer.Tests.Support;
using Platform.EventBus.CloudEvents;
using Platform.EventBus.Consuming;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Limits;

/// <summary>
/// A poisoned ConfigMap on the topic the server replays at every start: it is dead-lettered instead of applied,
/// the previous version stays served, later events still arrive, and a restart comes up serving the same.
/// Without the limits the first ConfigMap below overflowed the stack on every start.
/// </summary>
public sealed class ConfigMapLimitTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private static object ConfigMap(string name, long rv, string app, Dictionary<string, string> data) => new
    {
        apiVersion = "v1",
        kind = "ConfigMap",
        metadata = new
        {
            name, @namespace = "default", resourceVersion = rv.ToString(System.Globalization.CultureInfo.InvariantCulture),
            labels = new Dictionary<string, string> { ["config.platform.io/application"] = app },
        },
        data,
    };

    private async Task PublishAsync(string topic, object configMap, string name)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var e = PlatformEvent.Create("/apiserver", "io.platform.configmap.updated", $"default/{name}", configMap, subject: $"configmaps/default/{name}");
        await producer.ProduceAsync(topic, KafkaCloudEventCodec.ToMessage(e));
    }

    private async Task<ConfigServerHost> StartAsync(string topic, CapturingLoggerProvider? logs = null) =>
        await ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:ConfigMaps:Enabled"] = "true",
            ["ConfigServer:ConfigMaps:Topic"] = topic,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        }, logs: logs);

    /// <summary>The last good version of orders-extra and the ConfigMap published after the poison are served; evil is not.</summary>
    private static async Task AssertServesGoodConfigAsync(ConfigServerHost host)
    {
        using var client = host.CreateClient();
        await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/default")).Contains("orders-late", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "configmap published after the poisoned ones served");
        var sources = JsonDocument.Parse(await client.GetStringAsync("/orders/default")).RootElement.GetProperty("propertySources");
        var extra = sources.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "configmap:default/orders-extra");
        Assert.Equal("1", extra.GetProperty("source").GetProperty("extra.size").GetString());
        Assert.Empty(JsonDocument.Parse(await client.GetStringAsync("/evil/default")).RootElement.GetProperty("propertySources").EnumerateArray());
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task PoisonedConfigMaps_AreDeadLettered_PreviousVersionServed_AndRestartStaysHealthy()
    {
        var topic = kafka.CreateTopic("configmaps", 1);
        kafka.EnsureTopic(topic + ".dlq", 1);
        await PublishAsync(topic, ConfigMap("orders-extra", 10, "orders", new() { ["extra.size"] = "1" }), "orders-extra");
        await PublishAsync(topic, ConfigMap("orders-extra", 11, "orders", new() { ["application.yml"] = HostileDocuments.DeepYaml }), "orders-extra");
        await PublishAsync(topic, ConfigMap("evil", 12, "evil", new() { ["application.yml"] = HostileDocuments.AliasBomb }), "evil");
        await PublishAsync(topic, ConfigMap("orders-late", 13, "orders", new() { ["late"] = "yes" }), "orders-late");

        var logs = new CapturingLoggerProvider();
        await using (var host = await StartAsync(topic, logs))
        {
            await AssertServesGoodConfigAsync(host);
            Assert.Contains(logs.Messages, m => m.Contains("configmaps/default/orders-extra", StringComparison.Ordinal)
                && m.Contains("ConfigServer:Limits:MaxDepth exceeded", StringComparison.Ordinal));
        }
        var dead = kafka.ConsumeMany(topic + ".dlq", 2, TimeSpan.FromSeconds(20));
        Assert.Equal(2, dead.Count);
        var errors = dead.Select(d => Encoding.UTF8.GetString(d.Message.Headers.GetLastBytes(EventConsumerService.ErrorHeader))).ToList();
        Assert.Contains(errors, e => e.Contains("ConfigServer:Limits:MaxDepth", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConfigServer:Limits:MaxYamlNodes", StringComparison.Ordinal));

        // A restart replays the topic from the beginning, poisoned events included.
        await using (var restarted = await StartAsync(topic))
        {
            await AssertServesGoodConfigAsync(restarted);
        }
        Assert.Equal(4, kafka.ConsumeMany(topic + ".dlq", 4, TimeSpan.FromSeconds(20)).Count);
    }
}
