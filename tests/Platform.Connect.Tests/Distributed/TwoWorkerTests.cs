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

    [Fact]
    public async Task KilledWorker_ItsTasksMoveToTheOtherAfterTheSessionTimeout()
    {
        var group = "connect-" + Guid.NewGuid().ToString("N")[..8];
        var settings = TestConnectWorker.Distributed(kafka, group);
        var topic = kafka.CreateTopic("crash", partitions: 2);
        await using var a = await TestConnectWorker.StartAsync(settings);
        // The other worker is its own process, killed with SIGKILL: it never leaves the group, so only the session
        // timeout (Connect:SessionTimeoutMs, 6 s here) tells the group it is gone.
        var port = Network.FreeTcpPort();
        var env = settings.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        env["Connect__Username"] = TestConnectWorker.User;
        env["Connect__Password"] = TestConnectWorker.Password;
        var b = await ServerProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "Platform.Connect.dll"), port, env, healthPath: "healthz");
        var killed = false;
        try
        {
            using var client = a.Client();
            await Eventually.WaitAsync(async () => (await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject
            {
                ["name"] = "crash-sink",
                ["config"] = new JsonObject { ["connector.class"] = "FileStreamSink", ["topics"] = topic, ["file"] = Path.Combine(_dir, "crash.txt"), ["tasks.max"] = "2" },
            })).Status == System.Net.HttpStatusCode.Created, TimeSpan.FromSeconds(60), "the group to settle and take the connector");
            // The process may join after the connector was made: its join rebalances one task over to it.
            await Eventually.WaitAsync(async () =>
            {
                var (code, body) = await client.SendAsync(HttpMethod.Get, "connectors/crash-sink/status");
                return code == System.Net.HttpStatusCode.OK && body!["tasks"]!.AsArray()
                    .Any(t => t!["state"]!.GetValue<string>() == "RUNNING" && t["worker_id"]!.GetValue<string>() == $"127.0.0.1:{port}");
            }, TimeSpan.FromSeconds(60), "a task to run on the worker process");

            await b.DisposeAsync();
            killed = true;
            await Eventually.WaitAsync(async () =>
            {
                var (code, body) = await client.SendAsync(HttpMethod.Get, "connectors/crash-sink/status");
                if (code != System.Net.HttpStatusCode.OK) return false;
                var tasks = body!["tasks"]!.AsArray();
                return tasks.Count == 2 && tasks.All(t => t!["state"]!.GetValue<string>() == "RUNNING" && t["worker_id"]!.GetValue<string>() == Host(a));
            }, TimeSpan.FromSeconds(60), "the killed worker's task to run on the survivor");
        }
        finally
        {
            if (!killed) await b.DisposeAsync();
        }
    }

    private static string Host(TestConnectWorker w) => $"{w.BaseUrl.Host}:{w.BaseUrl.Port}";

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
