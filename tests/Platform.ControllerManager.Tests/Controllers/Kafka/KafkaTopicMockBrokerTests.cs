using System.Text.Json;
using Confluent.Kafka;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers.Kafka;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// The topic controller against librdkafka's mock cluster, the broker of the tests and of <c>./platform up</c>. The
/// mock answers Metadata but has no controller, so CreateTopics, DescribeConfigs, IncrementalAlterConfigs,
/// CreatePartitions and DeleteTopics all time out; what it supports is tested here: creation by auto-creation (its
/// default partition count), the partitions and replicas it reports, adoption of an existing topic, the refusal to
/// decrease partitions, cluster-wide claims, and deletion that leaves the topic (a Warning event says so).
/// <see cref="KafkaTopicAdminTests"/> covers the admin calls themselves.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class KafkaTopicMockBrokerTests(PostgresFixture pg, KafkaFixture kafka)
{
    internal static KafkaTopic Topic(string name, string? topicName = null, int? partitions = null, Dictionary<string, string>? config = null) => new()
    {
        ApiVersion = ResourceKinds.KafkaTopic.ApiVersion, Kind = ResourceKinds.KafkaTopic.Kind,
        Metadata = new ObjectMeta { Name = name },
        Spec = new KafkaTopicSpec
        {
            TopicName = topicName, Partitions = partitions,
            Config = config?.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value)),
        },
    };

    internal static Task<KafkaTopic> WaitForReadyAsync(HttpClient admin, string ns, string name, string status, string? reason = null) =>
        Eventually.WaitAsync(async () => await admin.GetAsync<KafkaTopic>(ResourceKinds.KafkaTopic.ObjectPath(ns, name)) is { } t
            && t.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } c && c.Status == status && (reason is null || c.Reason == reason) ? t : null,
            TimeSpan.FromSeconds(60), $"KafkaTopic {ns}/{name} Ready={status} {reason}");

    [Fact]
    public async Task Topics_AreCreatedAdoptedAndClaimedOnce_DecreaseIsRefused_AndDeletionLeavesWhatTheMockCannotDelete()
    {
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"));
        using var metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        TopicMetadata? OnBroker(string topic) => metadata.GetMetadata(TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic);

        // A new topic: the mock does not answer CreateTopics, so it is auto-created with the mock's default count.
        var fresh = "kt-fresh-" + Guid.NewGuid().ToString("N")[..8];
        await admin.CreateAsync(ResourceKinds.KafkaTopic.CollectionPath(ns), Topic("fresh", fresh));
        var ready = await WaitForReadyAsync(admin, ns, "fresh", "True", "Ready");
        var onBroker = OnBroker(fresh)!;
        Assert.Equal(onBroker.Partitions.Count, ready.Status!.Partitions);
        Assert.Equal(onBroker.Partitions[0].Replicas.Length, ready.Status.Replicas);
        Assert.Equal(fresh, ready.Status.TopicName);
        Assert.Contains(KafkaTopic.Finalizer, ready.Metadata.Finalizers!);
        Assert.Equal("true", ready.Metadata.Annotations![KafkaTopicController.CreatedAnnotation]);

        // The same broker topic claimed from another namespace: the first claim keeps it.
        await admin.CreateAsync(ResourceKinds.KafkaTopic.CollectionPath(other), Topic("copy", fresh));
        var claimed = await WaitForReadyAsync(admin, other, "copy", "False", KafkaTopic.ClaimedElsewhereReason);
        Assert.Contains($"managed by KafkaTopic {ns}/fresh", claimed.Status!.Conditions![0].Message);

        // An existing topic of 6 partitions is adopted; asking for 3 is refused, for 8 needs CreatePartitions.
        var existing = kafka.CreateTopic("kt-existing", partitions: 6);
        await admin.CreateAsync(ResourceKinds.KafkaTopic.CollectionPath(ns), Topic("existing", existing, partitions: 3));
        var refused = await WaitForReadyAsync(admin, ns, "existing", "False", KafkaTopic.PartitionDecreaseReason);
        Assert.Equal(6, refused.Status!.Partitions);
        Assert.Contains("cannot decrease them to 3", refused.Status.Conditions![0].Message);
        await ClusterApi.SendAsync(admin, HttpMethod.Patch, ResourceKinds.KafkaTopic.ObjectPath(ns, "existing"),
            System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"partitions":8}}"""));
        var unsupported = await WaitForReadyAsync(admin, ns, "existing", "False", "KafkaError");
        Assert.Contains("CreatePartitions: the broker has no controller", unsupported.Status!.Conditions![0].Message);
        Assert.Equal(6, OnBroker(existing)!.Partitions.Count);

        // Deleting the owner: the mock cannot delete, the resource goes anyway with a Warning; the other claim takes over.
        await ClusterApi.SendAsync(admin, HttpMethod.Delete, ResourceKinds.KafkaTopic.ObjectPath(ns, "fresh"));
        await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaTopic>(ResourceKinds.KafkaTopic.ObjectPath(ns, "fresh")) is null,
            TimeSpan.FromSeconds(60), "the KafkaTopic gone once finalized");
        var warning = await Eventually.WaitAsync(async () => (await admin.ListAsync<Event>($"/api/v1/namespaces/{ns}/events"))
            .FirstOrDefault(e => e.Reason == "TopicNotDeleted"), TimeSpan.FromSeconds(30), "the TopicNotDeleted event");
        Assert.Equal("Warning", warning.Type);
        var adopted = await WaitForReadyAsync(admin, other, "copy", "True", "Ready");
        Assert.False(adopted.Metadata.Annotations?.ContainsKey(KafkaTopicController.CreatedAnnotation) ?? false);

        // An adopted topic is never deleted: its resource's finalizer goes without a DeleteTopics.
        await ClusterApi.SendAsync(admin, HttpMethod.Delete, ResourceKinds.KafkaTopic.ObjectPath(ns, "existing"));
        await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaTopic>(ResourceKinds.KafkaTopic.ObjectPath(ns, "existing")) is null,
            TimeSpan.FromSeconds(60), "the adopted KafkaTopic gone");
        Assert.NotNull(OnBroker(existing));
    }
}
