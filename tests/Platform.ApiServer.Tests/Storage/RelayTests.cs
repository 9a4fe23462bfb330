using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Storage;

[Collection(ApiServerCollection.Name)]
public sealed class RelayTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task ChangeCommittedWhileNoRelayRuns_IsPublishedAfterRestart_AndARolledBackWriteNeverIs()
    {
        var cs = await pg.CreateDatabaseAsync("relay");
        var prefix = $"r{Guid.NewGuid():N}"[..13] + ".";
        string ns;
        await using (var noRelay = await ApiServerHost.StartAsync(pg, kafka, s => s["ApiServer:RelayEnabled"] = "false", cs, prefix))
        {
            using var http = noRelay.AdminClient();
            ns = await http.CreateNamespaceAsync();
            await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: committed\n")).ExpectAsync(201);
            // Rejected by validation after nothing was written: must never reach Kafka.
            await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n")).ExpectAsync(422);
            // Rolled back inside the transaction (duplicate name after the insert was attempted).
            await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: committed\n")).ExpectAsync(409);
            Assert.Empty(kafka.ConsumeMany(noRelay.Topic(ResourceKinds.ConfigMap), 1, TimeSpan.FromSeconds(2)));
            Assert.Equal(1L, await Db.ScalarAsync<long>(cs, "SELECT count(*) FROM platform_outbox WHERE topic = $1 AND published_at IS NULL", prefix + "configmaps"));
        }
        await using var restarted = await ApiServerHost.StartAsync(pg, kafka, connectionString: cs, topicPrefix: prefix);
        var messages = kafka.ConsumeMany(restarted.Topic(ResourceKinds.ConfigMap), 2, TimeSpan.FromSeconds(15));
        Assert.Single(messages);
        Assert.Equal($"{ns}/committed", messages[0].Message.Key);
        await Eventually.WaitAsync(async () => await Db.ScalarAsync<long>(cs, "SELECT count(*) FROM platform_outbox WHERE published_at IS NULL") == 0,
            TimeSpan.FromSeconds(10), "the outbox to be marked published");
    }
}
