using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Connectors;

/// <summary>errors.tolerance and the dead-letter topic: a poison record is parked with its context, the rest flow on.</summary>
public sealed class DeadLetterQueueTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-dlq-").FullName;

    [Fact]
    public async Task PoisonRecord_GoesToTheDeadLetterTopicWithContextHeaders_WhenToleranceIsAll_AndFailsTheTaskWhenNone()
    {
        var topic = kafka.CreateTopic("orders", partitions: 1);
        var dlq = kafka.CreateTopic("orders-dlq", partitions: 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            foreach (var value in new[] { "\"hello\"", "{bad json", "42" })
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = value });
        }
        await using var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets")));
        using var client = worker.Client();
        var output = Path.Combine(_dir, "out.txt");
        JsonObject Sink(string file, string tolerance) => new()
        {
            ["connector.class"] = "FileStreamSink",
            ["topics"] = topic,
            ["file"] = file,
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "false",
            ["errors.tolerance"] = tolerance,
            ["errors.deadletterqueue.topic.name"] = dlq,
            ["errors.deadletterqueue.context.headers.enable"] = "true",
        };

        await client.CreateConnectorAsync("tolerant-sink", Sink(output, "all"));
        await Eventually.WaitAsync(() => File.Exists(output) && File.ReadAllText(output) == "hello\n42\n", TimeSpan.FromSeconds(30), "the two good records in the file");
        var parked = kafka.ConsumeMany(dlq, 1, TimeSpan.FromSeconds(30));
        var record = Assert.Single(parked);
        Assert.Equal("{bad json", Encoding.UTF8.GetString(record.Message.Value));
        string Header(string name) => Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("__connect.errors." + name));
        Assert.Equal(topic, Header("topic"));
        Assert.Equal("0", Header("partition"));
        Assert.Equal("1", Header("offset"));
        Assert.Equal("tolerant-sink", Header("connector.name"));
        Assert.Equal("0", Header("task.id"));
        Assert.Equal("VALUE_CONVERTER", Header("stage"));
        Assert.Equal("Platform.Connect.Converters.JsonConverter", Header("class.name"));
        Assert.Contains("serialization error", Header("exception.message"));
        // The poison record counts as handled: the sink's committed position is past all three.
        var offsets = await Eventually.WaitAsync(async () =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, "connectors/tolerant-sink/offsets");
            return body?["offsets"]?.AsArray().Count == 1 ? body : null;
        }, TimeSpan.FromSeconds(30), "the sink's committed offsets");
        Assert.Equal(new JsonObject { ["kafka_topic"] = topic, ["kafka_partition"] = 0 }.ToJsonString(), offsets["offsets"]![0]!["partition"]!.ToJsonString());
        Assert.Equal(3, offsets["offsets"]![0]!["offset"]!["kafka_offset"]!.GetValue<long>());

        await client.CreateConnectorAsync("strict-sink", Sink(Path.Combine(_dir, "strict.txt"), "none"));
        var status = await Eventually.WaitAsync(async () =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, "connectors/strict-sink/status");
            return body?["tasks"]?.AsArray().FirstOrDefault()?["state"]?.GetValue<string>() == "FAILED" ? body : null;
        }, TimeSpan.FromSeconds(30), "the strict sink's task to fail");
        Assert.Contains("Tolerance exceeded in error handler", status["tasks"]![0]!["trace"]!.GetValue<string>());
        Assert.Equal("RUNNING", status["connector"]!["state"]!.GetValue<string>());

        // Restarting only what failed: the connector keeps running, the task restarts (and fails again on the same record).
        var (restartCode, plan) = await client.SendAsync(HttpMethod.Post, "connectors/strict-sink/restart?includeTasks=true&onlyFailed=true");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, restartCode);
        Assert.Equal("RUNNING", plan!["connector"]!["state"]!.GetValue<string>());
        Assert.Equal("RESTARTING", plan["tasks"]![0]!["state"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Post, "connectors/strict-sink/tasks/0/restart")).Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Post, "connectors/strict-sink/tasks/7/restart")).Status);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await client.SendAsync(HttpMethod.Post, "connectors/strict-sink/tasks/x/restart")).Status);
        await Eventually.WaitAsync(async () =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, "connectors/strict-sink/tasks/0/status");
            return body?["state"]?.GetValue<string>() == "FAILED" && body["trace"] is not null;
        }, TimeSpan.FromSeconds(30), "the restarted task to fail on the poison record again");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
