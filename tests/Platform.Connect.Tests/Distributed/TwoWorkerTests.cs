using System.Text.Json.Nodes;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Distributed;

/// <summary>Two workers of one group share a connector's tasks; when one leaves, the other takes them over.</summary>
public sealed class TwoWorkerTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-group-").FullName;

    [Fact]
    public async Task TasksSpreadOverBothWorkers_AndMoveToTheSurvivorWhenOneStops()
    {
        var group = "connect-" + Guid.NewGuid().ToString("N")[..8];
        var settings = TestConnectWorker.Distributed(kafka, group);
        var topic = kafka.CreateTopic("spread", partitions: 2);
        await using var a = await TestConnectWorker.StartAsync(settings);
        var b = await TestConnectWorker.StartAsync(settings);
        try
        {
            using var client = a.Client();
            // B's join makes the group rebalance; A answers 409 until it has its new assignment.
            await Eventually.WaitAsync(async () => (await client.SendAsync(HttpMethod.Get, "connectors")).Status == System.Net.HttpStatusCode.OK,
                TimeSpan.FromSeconds(30), "the group to settle");
            await Eventually.WaitAsync(async () => (await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject
            {
                ["name"] = "spread-sink",
                ["config"] = new JsonObject
                {
                    ["connector.class"] = "FileStreamSink",
                    ["topics"] = topic,
                    ["file"] = Path.Combine(_dir, "out.txt"),
                    ["tasks.max"] = "2",
                },
            })).Status == System.Net.HttpStatusCode.Created, TimeSpan.FromSeconds(30), "the connector to be created");

            var status = await client.WaitForStateAsync("spread-sink", "RUNNING", 2);
            var workers = status["tasks"]!.AsArray().Select(t => t!["worker_id"]!.GetValue<string>()).ToList();
            Assert.Equal(2, workers.Distinct().Count());
            Assert.Contains(Host(a), workers);
            Assert.Contains(Host(b), workers);

            await b.StopAsync();
            await Eventually.WaitAsync(async () =>
            {
                var (code, body) = await client.SendAsync(HttpMethod.Get, "connectors/spread-sink/status");
                if (code != System.Net.HttpStatusCode.OK) return false;
                var tasks = body!["tasks"]!.AsArray();
                return tasks.Count == 2 && tasks.All(t => t!["state"]!.GetValue<string>() == "RUNNING" && t["worker_id"]!.GetValue<string>() == Host(a));
            }, TimeSpan.FromSeconds(60), "both tasks to run on the surviving worker");
        }
        finally
        {
            await b.StopAsync();
        }
    }

    private static string Host(TestConnectWorker w) => $"{w.BaseUrl.Host}:{w.BaseUrl.Port}";

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
