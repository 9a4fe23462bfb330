using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Kafka;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// The topic controller's admin calls, against <see cref="InMemoryTopicBroker"/> because the mock cluster answers none
/// of them (see <see cref="KafkaTopicMockBrokerTests"/>): create with partitions, replicas and configs, config changes
/// (including removing a config set outside the spec), partition increases, and deletion through the finalizer.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class KafkaTopicAdminTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Spec_IsCreatedAlteredGrownAndDeleted_OnTheBroker()
    {
        var broker = new InMemoryTopicBroker();
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"),
            services: s => s.AddSingleton<ITopicBroker>(broker));
        var topic = "orders-" + Guid.NewGuid().ToString("N")[..8];
        var path = ResourceKinds.KafkaTopic.ObjectPath(ns, "orders");

        var created = KafkaTopicMockBrokerTests.Topic("orders", topic, partitions: 3, config: new() { ["retention.ms"] = "7200000", ["cleanup.policy"] = "compact" });
        await admin.CreateAsync(ResourceKinds.KafkaTopic.CollectionPath(ns), created with { Spec = created.Spec with { Replicas = 2 } });
        var ready = await KafkaTopicMockBrokerTests.WaitForReadyAsync(admin, ns, "orders", "True", "Ready");
        Assert.Equal((3, 2), (ready.Status!.Partitions!.Value, ready.Status.Replicas!.Value));
        Assert.Equal([$"create {topic} partitions=3 replicas=2 cleanup.policy=compact,retention.ms=7200000"], broker.Calls);

        // A config set outside the spec goes; a changed value is set; partitions grow.
        broker.SetOutside(topic, "segment.ms", "1000");
        await ClusterApi.SendAsync(admin, HttpMethod.Patch, path, JsonNode.Parse("""{"spec":{"partitions":5,"config":{"retention.ms":"60000","cleanup.policy":null}}}"""));
        await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaTopic>(path) is { Status: { Partitions: 5, ObservedGeneration: 2 } } t
            && t.Status.Conditions![0].Status == "True" ? t : null, TimeSpan.FromSeconds(30), "5 partitions, generation 2 observed");
        Assert.Equal(new Dictionary<string, string> { ["retention.ms"] = "60000" }, broker[topic]!.TopicConfigs);
        Assert.Contains($"partitions {topic} 5", broker.Calls);
        // The outside config may go in a reconcile of its own (a resync) before the patch arrives: both are removals.
        Assert.Contains(broker.Calls, c => c.StartsWith($"alter {topic} set retention.ms=60000 delete cleanup.policy", StringComparison.Ordinal));
        Assert.Contains(broker.Calls, c => c.StartsWith($"alter {topic} set", StringComparison.Ordinal) && c.Contains("segment.ms", StringComparison.Ordinal));

        // Fewer partitions are refused and nothing is called.
        var calls = broker.Calls.Count;
        await ClusterApi.SendAsync(admin, HttpMethod.Patch, path, JsonNode.Parse("""{"spec":{"partitions":2}}"""));
        await KafkaTopicMockBrokerTests.WaitForReadyAsync(admin, ns, "orders", "False", KafkaTopic.PartitionDecreaseReason);
        Assert.Equal(calls, broker.Calls.Count);
        Assert.Equal(5, broker[topic]!.Partitions);

        await ClusterApi.SendAsync(admin, HttpMethod.Delete, path);
        await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaTopic>(path) is null, TimeSpan.FromSeconds(30), "the KafkaTopic gone");
        Assert.Null(broker[topic]);
        Assert.Equal($"delete {topic}", broker.Calls.Last());
    }
}
