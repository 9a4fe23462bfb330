using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Kafka;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.EventBus.Kafka;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// With <c>ControllerManager:DevBrokerControlFile</c>, as <c>./platform up</c> sets it: the development broker (its
/// own process) gets a KafkaTopic's topic with exactly the partitions and replicas asked, through its control port,
/// instead of its auto-creation defaults.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class KafkaTopicDevBrokerTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Topic_IsCreatedWithExactCounts_ThroughTheDevBrokersControlPort()
    {
        await using var devBroker = await DevBrokerProcess.StartAsync();
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        // The informers follow the apiserver's broker; the topics go to the dev broker.
        var broker = new AdminClientTopicBroker(Options.Create(new KafkaOptions { BootstrapServers = devBroker.BootstrapServers }),
            Options.Create(new ControllerManagerOptions { DevBrokerControlFile = devBroker.ControlFile }), TimeProvider.System);
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"),
            services: s => s.AddSingleton<ITopicBroker>(broker));

        var topic = "quickstart-events-" + Guid.NewGuid().ToString("N")[..8];
        var created = KafkaTopicMockBrokerTests.Topic("quickstart", topic, partitions: 1);
        await admin.CreateAsync(ResourceKinds.KafkaTopic.CollectionPath(ns), created with { Spec = created.Spec with { Replicas = 2 } });
        var ready = await KafkaTopicMockBrokerTests.WaitForReadyAsync(admin, ns, "quickstart", "True", "Ready");
        Assert.Equal((1, 2), (ready.Status!.Partitions!.Value, ready.Status.Replicas!.Value));

        using var metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = devBroker.BootstrapServers }).Build();
        var onBroker = metadata.GetMetadata(TimeSpan.FromSeconds(5)).Topics.Single(t => t.Topic == topic);
        Assert.Equal(2, Assert.Single(onBroker.Partitions).Replicas.Length);
    }
}
