using System.Text.Json.Nodes;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Storage;

/// <summary>Standalone mode keeps source offsets in Connect:OffsetsFile, so a restarted worker resumes a file where it stopped.</summary>
public sealed class StandaloneOffsetsTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-standalone-").FullName;

    [Fact]
    public async Task RestartedStandaloneWorker_ResumesFromTheOffsetsFile()
    {
        var topic = kafka.CreateTopic("lines", partitions: 1);
        var input = Path.Combine(_dir, "input.txt");
        var offsetsFile = Path.Combine(_dir, "connect.offsets");
        await File.WriteAllLinesAsync(input, ["first", "second"]);
        var config = new JsonObject
        {
            ["connector.class"] = "FileStreamSource",
            ["file"] = input,
            ["topic"] = topic,
            ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter",
        };

        await using (var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, offsetsFile)))
        {
            using var client = worker.Client();
            await client.CreateConnectorAsync("lines", (JsonObject)config.DeepClone());
            Assert.Equal(2, kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(30)).Count);
        }
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(offsetsFile))!.AsArray();
        Assert.Equal($"[\"lines\",{{\"filename\":{JsonValue.Create(input).ToJsonString()}}}]", saved[0]!["key"]!.GetValue<string>());
        Assert.Equal(13, saved[0]!["value"]!["position"]!.GetValue<long>());

        await File.AppendAllLinesAsync(input, ["third"]);
        await using (var worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, offsetsFile)))
        {
            using var client = worker.Client();
            // Standalone configurations live in memory (as in Kafka): the connector is created again, its offsets are not.
            await client.CreateConnectorAsync("lines", (JsonObject)config.DeepClone());
            var all = kafka.ConsumeMany(topic, 4, TimeSpan.FromSeconds(10));
            Assert.Equal(["first", "second", "third"], all.Select(r => System.Text.Encoding.UTF8.GetString(r.Message.Value)));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
