using System.Net;
using System.Text.Json.Nodes;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Storage;

/// <summary>
/// What `./platform up` does: a distributed worker against a broker that has none of its topics yet. The development
/// broker answers no CreateTopics, so the worker falls back on auto-creation and uses the partition counts it gets.
/// </summary>
public sealed class TopicCreationTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task FreshBroker_WorkerMakesItsTopics_AndKeepsTheConfigOrdered()
    {
        var group = "fresh-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Connect:GroupId"] = group,
            ["Connect:ConfigStorageTopic"] = group + "-configs",
            ["Connect:OffsetStorageTopic"] = group + "-offsets",
            ["Connect:StatusStorageTopic"] = group + "-status",
        };
        var dir = Directory.CreateTempSubdirectory("connect-fresh-").FullName;
        try
        {
            await using var worker = await TestConnectWorker.StartAsync(settings);
            using var client = worker.Client();
            var file = Path.Combine(dir, "in.txt");
            await File.WriteAllLinesAsync(file, ["x"]);
            for (var i = 0; i < 3; i++)
                await client.CreateConnectorAsync($"fresh-{i}", new JsonObject { ["connector.class"] = "FileStreamSource", ["file"] = file, ["topic"] = group + "-out" });
            for (var i = 0; i < 3; i++) await client.WaitForStateAsync($"fresh-{i}", "RUNNING", 1);
            var (code, names) = await client.SendAsync(HttpMethod.Get, "connectors");
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal(["fresh-0", "fresh-1", "fresh-2"], names!.AsArray().Select(n => n!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
