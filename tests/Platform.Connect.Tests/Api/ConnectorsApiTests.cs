using System.Net;
using System.Text.Json.Nodes;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Api;

/// <summary>The REST API's shapes and codes, on a standalone worker with a file source.</summary>
public sealed class ConnectorsApiTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-api-").FullName;

    [Fact]
    public async Task Root_IsOpen_TheRestNeedsBasicCredentials()
    {
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets")));
        using var anonymous = worker.Client(authenticated: false);
        var (rootStatus, root) = await anonymous.SendAsync(HttpMethod.Get, "");
        Assert.Equal(HttpStatusCode.OK, rootStatus);
        Assert.Equal("3.9.0", root!["version"]!.GetValue<string>());
        Assert.NotNull(root["commit"]);
        Assert.True(root.AsObject().ContainsKey("kafka_cluster_id"));

        var (status, body) = await anonymous.SendAsync(HttpMethod.Get, "connectors");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body!["error_code"]!.GetValue<int>());

        using var client = worker.Client();
        var (okStatus, list) = await client.SendAsync(HttpMethod.Get, "connectors");
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Empty(list!.AsArray());
    }

    [Fact]
    public async Task ConnectorLifecycle_AnswersWithKafkaConnectShapes()
    {
        var topic = kafka.CreateTopic("lines", partitions: 1);
        var file = Path.Combine(_dir, "input.txt");
        await File.WriteAllLinesAsync(file, ["one", "two"]);
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets")));
        using var client = worker.Client();
        var config = new JsonObject
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = file,
            ["topic"] = topic,
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        };

        var created = await client.CreateConnectorAsync("local-file-source", config);
        Assert.Equal("local-file-source", created["name"]!.GetValue<string>());
        Assert.Equal("source", created["type"]!.GetValue<string>());
        Assert.Equal("local-file-source", created["config"]!["name"]!.GetValue<string>());

        var status = await client.WaitForStateAsync("local-file-source", "RUNNING", 1);
        Assert.Equal("source", status["type"]!.GetValue<string>());
        Assert.Matches(@"^127\.0\.0\.1:\d+$", status["connector"]!["worker_id"]!.GetValue<string>());
        Assert.Equal(0, status["tasks"]![0]!["id"]!.GetValue<int>());

        var lines = kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(30));
        Assert.Equal(["one", "two"], lines.Select(l => System.Text.Encoding.UTF8.GetString(l.Message.Value)));

        var (dupStatus, dup) = await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject { ["name"] = "local-file-source", ["config"] = config.DeepClone() });
        Assert.Equal(HttpStatusCode.Conflict, dupStatus);
        Assert.Equal(409, dup!["error_code"]!.GetValue<int>());
        Assert.Equal("Connector local-file-source already exists", dup["message"]!.GetValue<string>());

        var (_, info) = await client.SendAsync(HttpMethod.Get, "connectors/local-file-source");
        Assert.Equal(new JsonObject { ["connector"] = "local-file-source", ["task"] = 0 }.ToJsonString(), info!["tasks"]![0]!.ToJsonString());
        var (_, tasks) = await client.SendAsync(HttpMethod.Get, "connectors/local-file-source/tasks");
        Assert.Equal(file, tasks![0]!["config"]!["file"]!.GetValue<string>());
        var (_, taskStatus) = await client.SendAsync(HttpMethod.Get, "connectors/local-file-source/tasks/0/status");
        Assert.Equal("RUNNING", taskStatus!["state"]!.GetValue<string>());
        var (_, expanded) = await client.SendAsync(HttpMethod.Get, "connectors?expand=status&expand=info");
        Assert.Equal("RUNNING", expanded!["local-file-source"]!["status"]!["connector"]!["state"]!.GetValue<string>());
        Assert.Equal("source", expanded["local-file-source"]!["info"]!["type"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(HttpMethod.Put, "connectors/local-file-source/pause")).Status);
        await client.WaitForStateAsync("local-file-source", "PAUSED", 1);
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(HttpMethod.Put, "connectors/local-file-source/resume")).Status);
        await client.WaitForStateAsync("local-file-source", "RUNNING", 1);

        var (restartStatus, restart) = await client.SendAsync(HttpMethod.Post, "connectors/local-file-source/restart?includeTasks=true");
        Assert.Equal(HttpStatusCode.Accepted, restartStatus);
        Assert.Equal("RESTARTING", restart!["connector"]!["state"]!.GetValue<string>());
        Assert.Equal("RESTARTING", restart["tasks"]![0]!["state"]!.GetValue<string>());
        await client.WaitForStateAsync("local-file-source", "RUNNING", 1);

        var offsets = await Eventually.WaitAsync(async () =>
        {
            var r = await client.SendAsync(HttpMethod.Get, "connectors/local-file-source/offsets");
            return r.Status == HttpStatusCode.OK && r.Body?["offsets"]?.AsArray().Count == 1 ? r.Body : null;
        }, TimeSpan.FromSeconds(30), "the source offset to be committed");
        Assert.Equal(file, offsets!["offsets"]![0]!["partition"]!["filename"]!.GetValue<string>());
        Assert.Equal(8, offsets["offsets"]![0]!["offset"]!["position"]!.GetValue<long>());

        var (resetStatus, reset) = await client.SendAsync(HttpMethod.Delete, "connectors/local-file-source/offsets");
        Assert.Equal(HttpStatusCode.BadRequest, resetStatus);
        Assert.Contains("STOPPED", reset!["message"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "connectors/local-file-source")).Status);
        var (goneStatus, gone) = await client.SendAsync(HttpMethod.Get, "connectors/local-file-source");
        Assert.Equal(HttpStatusCode.NotFound, goneStatus);
        Assert.Equal(new JsonObject { ["error_code"] = 404, ["message"] = "Connector local-file-source not found" }.ToJsonString(), gone!.ToJsonString());
    }

    [Fact]
    public async Task PutConfig_CreatesThenUpdates_AndStopResetsOffsets()
    {
        var topic = kafka.CreateTopic("lines", partitions: 1);
        var file = Path.Combine(_dir, "put.txt");
        await File.WriteAllLinesAsync(file, ["a"]);
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets-put")));
        using var client = worker.Client();
        var config = new JsonObject { ["connector.class"] = "org.apache.kafka.connect.file.FileStreamSourceConnector", ["file"] = file, ["topic"] = topic };

        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Put, "connectors/put-source/config", config)).Status);
        await client.WaitForStateAsync("put-source", "RUNNING", 1);
        config["batch.size"] = "10";
        var (updated, body) = await client.SendAsync(HttpMethod.Put, "connectors/put-source/config", config.DeepClone());
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal("10", body!["config"]!["batch.size"]!.GetValue<string>());
        var (_, stored) = await client.SendAsync(HttpMethod.Get, "connectors/put-source/config");
        Assert.Equal("10", stored!["batch.size"]!.GetValue<string>());

        await Eventually.WaitAsync(async () => (await client.SendAsync(HttpMethod.Get, "connectors/put-source/offsets")).Body!["offsets"]!.AsArray().Count == 1,
            TimeSpan.FromSeconds(30), "an offset");
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(HttpMethod.Put, "connectors/put-source/stop")).Status);
        await Eventually.WaitAsync(async () =>
        {
            var (_, s) = await client.SendAsync(HttpMethod.Get, "connectors/put-source/status");
            return s!["connector"]!["state"]!.GetValue<string>() == "STOPPED" && s["tasks"]!.AsArray().Count == 0;
        }, TimeSpan.FromSeconds(30), "the connector to stop with no tasks");
        var (resetStatus, reset) = await client.SendAsync(HttpMethod.Delete, "connectors/put-source/offsets");
        Assert.Equal(HttpStatusCode.OK, resetStatus);
        Assert.Equal("The offsets for this connector have been reset successfully", reset!["message"]!.GetValue<string>());
        Assert.Empty((await client.SendAsync(HttpMethod.Get, "connectors/put-source/offsets")).Body!["offsets"]!.AsArray());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
