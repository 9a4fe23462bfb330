using System.Text;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;
using Platform.EventBus.Consuming;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Limits;

/// <summary>
/// A poisoned ConfigMap applied through the apiserver, which the server follows: its event is dead-lettered with the
/// limit named instead of applied, the previous version stays served, later ConfigMaps still arrive, and a restart
/// comes up healthy, listing past it without dead-lettering it again. Without the limits the first ConfigMap below
/// overflowed the stack on every start.
/// </summary>
public sealed class ConfigMapLimitTests(PostgresFixture pg, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static async Task<JsonElement> SourcesAsync(HttpClient client, string app) =>
        JsonDocument.Parse(await client.GetStringAsync($"/{app}/default")).RootElement.GetProperty("propertySources");

    [Fact]
    public async Task PoisonedConfigMaps_AreDeadLettered_PreviousVersionServed_AndRestartStaysHealthy()
    {
        await using var cluster = await ConfigMapCluster.StartAsync(pg, kafka);
        kafka.EnsureTopic(cluster.Topic + ".dlq", 1);
        await cluster.ApplyAsync("orders-extra", "orders", null, new() { ["extra.size"] = "1" });

        var logs = new CapturingLoggerProvider();
        await using (var host = await ConfigServerHost.StartAsync(cluster.ConfigServerSettings(kafka), logs: logs))
        {
            using var client = host.CreateClient();
            await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/default")).Contains("orders-extra", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the good version served");
            await cluster.ApplyAsync("orders-extra", "orders", null, new() { ["application.yml"] = HostileDocuments.DeepYaml });
            await cluster.ApplyAsync("evil", "evil", null, new() { ["application.yml"] = HostileDocuments.AliasBomb });
            await cluster.ApplyAsync("orders-late", "orders", null, new() { ["late"] = "yes" });
            await Eventually.WaitAsync(async () => (await client.GetStringAsync("/orders/default")).Contains("orders-late", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the ConfigMap applied after the poisoned ones served");

            var extra = (await SourcesAsync(client, "orders")).EnumerateArray().Single(s => s.GetProperty("name").GetString() == "configmap:default/orders-extra");
            Assert.Equal("1", extra.GetProperty("source").GetProperty("extra.size").GetString());
            Assert.Empty((await SourcesAsync(client, "evil")).EnumerateArray());
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
            // The events sit on different partitions: wait for both dead letters while the server still runs.
            var dead = kafka.ConsumeMany(cluster.Topic + ".dlq", 2, TimeSpan.FromSeconds(30));
            Assert.Equal(2, dead.Count);
            var errors = dead.Select(d => Encoding.UTF8.GetString(d.Message.Headers.GetLastBytes(EventConsumerService.ErrorHeader))).ToList();
            Assert.Contains(errors, e => e.Contains("ConfigServer:Limits:MaxDepth", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("ConfigServer:Limits:MaxYamlNodes", StringComparison.Ordinal));
            Assert.Contains(logs.Messages, m => m.Contains("configmaps/default/orders-extra", StringComparison.Ordinal)
                && m.Contains("ConfigServer:Limits:MaxDepth exceeded", StringComparison.Ordinal));
        }

        // A restart lists the current versions: the poisoned ones are refused (the good version of orders-extra is
        // history the apiserver no longer has), the rest is served, and nothing is dead-lettered twice.
        await using (var restarted = await ConfigServerHost.StartAsync(cluster.ConfigServerSettings(kafka)))
        {
            using var client = restarted.CreateClient();
            await Eventually.WaitAsync(async () => (await client.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "ready after the list");
            Assert.Equal(["configmap:default/orders-late"], (await SourcesAsync(client, "orders")).EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            Assert.Empty((await SourcesAsync(client, "evil")).EnumerateArray());
        }
        Assert.Equal(2, kafka.ConsumeMany(cluster.Topic + ".dlq", 4, TimeSpan.FromSeconds(5)).Count);
    }
}
