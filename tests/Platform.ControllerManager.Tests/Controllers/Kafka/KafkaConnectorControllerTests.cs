using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Kafka;

/// <summary>
/// The connector controller against the real Kafka Connect worker (connect/, as a process): a KafkaConnector becomes a
/// running connector named <c>namespace.name</c> that moves records, follows <c>spec.state</c> through pause and stop,
/// reports a config the worker refuses as a condition, and is deleted from the worker with its resource.
/// </summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class KafkaConnectorControllerTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static KafkaConnector Connector(string name, string @class, Dictionary<string, string> config) => new()
    {
        ApiVersion = ResourceKinds.KafkaConnector.ApiVersion, Kind = ResourceKinds.KafkaConnector.Kind,
        Metadata = new ObjectMeta { Name = name },
        Spec = new KafkaConnectorSpec { Class = @class, TasksMax = 1, Config = config.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value)) },
    };

    private static Task<KafkaConnector> WaitAsync(HttpClient admin, string ns, string name, string ready, string? state, string? reason = null) =>
        Eventually.WaitAsync(async () => await admin.GetAsync<KafkaConnector>(ResourceKinds.KafkaConnector.ObjectPath(ns, name)) is { } c
            && c.Status?.Conditions?.FirstOrDefault(x => x.Type == "Ready") is { } r && r.Status == ready && (reason is null || r.Reason == reason)
            && (state is null || c.Status.ConnectorStatus?.Connector?.State == state) ? c : null,
            TimeSpan.FromSeconds(90), $"KafkaConnector {ns}/{name} Ready={ready} {state} {reason}");

    [Fact]
    public async Task WithoutAConnectUrl_ConnectorsSaySo_AndStillGoWhenDeleted()
    {
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        // No URL, even if the environment running the tests has CONNECT_URL (after `./platform up`).
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"), s => s["CONNECT_URL"] = "");
        await admin.CreateAsync(ResourceKinds.KafkaConnector.CollectionPath(ns), Connector("lonely", "FileStreamSinkConnector", new() { ["topics"] = "t" }));
        var waiting = await WaitAsync(admin, ns, "lonely", "False", null, "ConnectNotConfigured");
        Assert.Contains("ControllerManager:ConnectUrl", waiting.Status!.Conditions![0].Message);
        Assert.Contains(KafkaConnector.Finalizer, waiting.Metadata.Finalizers!);

        await ClusterApi.SendAsync(admin, HttpMethod.Delete, ResourceKinds.KafkaConnector.ObjectPath(ns, "lonely"));
        await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaConnector>(ResourceKinds.KafkaConnector.ObjectPath(ns, "lonely")) is null,
            TimeSpan.FromSeconds(30), "the KafkaConnector gone");
        var warning = await Eventually.WaitAsync(async () => (await admin.ListAsync<Event>($"/api/v1/namespaces/{ns}/events"))
            .FirstOrDefault(e => e.Reason == "ConnectNotConfigured"), TimeSpan.FromSeconds(30), "the ConnectNotConfigured event");
        Assert.Equal("Warning", warning.Type);
    }

    [Fact]
    public async Task Connector_IsConfiguredPausedStoppedAndDeleted_OnTheWorker_WithItsStatus()
    {
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        await using var connect = await ConnectProcess.StartAsync(kafka);
        using var worker = connect.Client();
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"), s =>
        {
            s["ControllerManager:ConnectUrl"] = connect.ConnectUrl;
            s["ControllerManager:KafkaConnectorStatusPeriod"] = "00:00:01";
        });
        var topic = kafka.CreateTopic("kctr", partitions: 1);
        var file = Path.Combine(Path.GetTempPath(), $"kctr-{Guid.NewGuid():N}.txt");
        try
        {
            await admin.CreateAsync(ResourceKinds.KafkaConnector.CollectionPath(ns), Connector("files", "FileStreamSinkConnector", new()
            {
                ["file"] = file, ["topics"] = topic, ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            }));
            var running = await WaitAsync(admin, ns, "files", "True", "RUNNING");
            var task = Assert.Single(running.Status!.ConnectorStatus!.Tasks!);
            Assert.Equal(("RUNNING", 0), (task.State, task.Id));
            Assert.Equal($"{ns}.files", running.Status.ConnectorStatus.Name);
            Assert.Equal(1, running.Status.TasksMax);
            var config = JsonNode.Parse(await worker.GetStringAsync($"connectors/{ns}.files/config"))!;
            Assert.Equal(("FileStreamSinkConnector", "1", file), ((string?)config["connector.class"], (string?)config["tasks.max"], (string?)config["file"]));

            // It moves records: the sink writes what the topic gets.
            using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = "hello from the topic" });
            await Eventually.WaitAsync(() => Task.FromResult(File.Exists(file) && File.ReadAllText(file).Contains("hello from the topic", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "the record in the sink's file");

            var path = ResourceKinds.KafkaConnector.ObjectPath(ns, "files");
            await ClusterApi.SendAsync(admin, HttpMethod.Patch, path, JsonNode.Parse("""{"spec":{"state":"paused"}}"""));
            var paused = await WaitAsync(admin, ns, "files", "True", "PAUSED");
            Assert.All(paused.Status!.ConnectorStatus!.Tasks!, t => Assert.Equal("PAUSED", t.State));
            await ClusterApi.SendAsync(admin, HttpMethod.Patch, path, JsonNode.Parse("""{"spec":{"state":"stopped"}}"""));
            var stopped = await WaitAsync(admin, ns, "files", "True", "STOPPED");
            Assert.Empty(stopped.Status!.ConnectorStatus!.Tasks ?? []);
            await ClusterApi.SendAsync(admin, HttpMethod.Patch, path, JsonNode.Parse("""{"spec":{"state":"running"}}"""));
            await WaitAsync(admin, ns, "files", "True", "RUNNING");

            // A config the worker refuses: the condition carries its message.
            await admin.CreateAsync(ResourceKinds.KafkaConnector.CollectionPath(ns), Connector("broken", "NoSuchConnector", new() { ["topics"] = topic }));
            var broken = await WaitAsync(admin, ns, "broken", "False", null, "ConnectorConfigInvalid");
            Assert.Contains("NoSuchConnector", broken.Status!.Conditions![0].Message);

            await ClusterApi.SendAsync(admin, HttpMethod.Delete, path);
            await Eventually.WaitAsync(async () => await admin.GetAsync<KafkaConnector>(path) is null, TimeSpan.FromSeconds(30), "the KafkaConnector gone");
            using var gone = await worker.GetAsync($"connectors/{ns}.files");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
