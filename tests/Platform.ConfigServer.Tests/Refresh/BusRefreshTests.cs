using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Config.Client;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;

namespace Platform.ConfigServer.Tests.Refresh;

public sealed class BusRefreshTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private Task<ConfigServerHost> StartAsync(string topic, Dictionary<string, string?> backend)
    {
        backend["ConfigServer:Bus:Enabled"] = "true";
        backend["ConfigServer:Bus:Topic"] = topic;
        backend["Kafka:BootstrapServers"] = kafka.BootstrapServers;
        return ConfigServerHost.StartAsync(backend);
    }

    private static Dictionary<string, string?> Native(TempRepo repo) => new()
    {
        ["ConfigServer:Native:Enabled"] = "true",
        ["ConfigServer:Native:SearchLocations:0"] = repo.Path,
    };

    [Fact]
    public async Task BusRefresh_WithDestination_PublishesSpringRefreshEvent()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo();
        await using var host = await StartAsync(topic, Native(repo));
        using var client = host.CreateClient();

        var response = await client.PostAsync("/actuator/busrefresh/customers", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var message = Assert.Single(kafka.ConsumeMany(topic, 1, TimeSpan.FromSeconds(10)));
        var e = JsonDocument.Parse(message.Message.Value).RootElement;
        Assert.Equal("RefreshRemoteApplicationEvent", e.GetProperty("type").GetString());
        Assert.Equal("customers:**", e.GetProperty("destinationService").GetString());
        Assert.Equal("config-server:8888", e.GetProperty("originService").GetString());
        Assert.True(Guid.TryParse(e.GetProperty("id").GetString(), out _));
        Assert.InRange(e.GetProperty("timestamp").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal("org.springframework.cloud.bus.event.RefreshRemoteApplicationEvent",
            Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes("ce_type")));
    }

    [Fact]
    public async Task BusRefresh_WithoutCredentials_Returns401()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo();
        await using var host = await StartAsync(topic, Native(repo));
        using var client = host.CreateClient(authenticated: false);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/actuator/busrefresh", null)).StatusCode);
    }

    [Fact]
    public async Task Monitor_PushPayload_PublishesOneEventPerChangedApplication()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo();
        await using var host = await StartAsync(topic, Native(repo));
        using var client = host.CreateClient();
        var payload = """{"ref":"refs/heads/main","commits":[{"id":"abc","added":[],"modified":["orders-dev.yml"],"removed":[]}]}""";

        var response = await client.PostAsync("/monitor", new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["orders", "orders-dev"], JsonSerializer.Deserialize<string[]>(await response.Content.ReadAsStringAsync())!);
        var destinations = kafka.ConsumeMany(topic, 2, TimeSpan.FromSeconds(10))
            .Select(m => JsonDocument.Parse(m.Message.Value).RootElement.GetProperty("destinationService").GetString()).Order().ToList();
        Assert.Equal(["orders-dev:**", "orders:**"], destinations);
    }

    [Fact]
    public async Task Monitor_GitPush_ServesNewCommitAtOnceDespiteRefreshRate()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("orders.yml", "orders:\n  size: 1\n"));
        await using var host = await StartAsync(topic, new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
            ["ConfigServer:Git:RefreshRateSeconds"] = "3600",
        });
        using var client = host.CreateClient();
        await client.GetStringAsync("/orders/default");
        var second = await git.CommitAsync("v2", ("orders.yml", "orders:\n  size: 2\n"));

        var response = await client.PostAsync("/monitor", new FormUrlEncodedContent([new("path", "orders.yml")]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var env = JsonDocument.Parse(await client.GetStringAsync("/orders/default")).RootElement;
        Assert.Equal(second, env.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Monitor_EmptyPayload_Returns400Problem()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo();
        await using var host = await StartAsync(topic, Native(repo));
        using var client = host.CreateClient();

        var response = await client.PostAsync("/monitor", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("body:", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Monitor_OversizedOrDeepPayload_Is4xxProblem_NamingTheLimit()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo();
        var settings = Native(repo);
        settings["ConfigServer:Limits:MaxDocumentBytes"] = "2048";
        await using var host = await StartAsync(topic, settings);
        using var client = host.CreateClient();
        var big = Encoding.UTF8.GetBytes("{\"commits\":[{\"modified\":[\"" + new string('a', 4096) + ".yml\"]}]}");

        using var sized = await client.PostAsync("/monitor", new ByteArrayContent(big) { Headers = { ContentType = new("application/json") } });
        // Without a Content-Length (chunked) the server's body limit stops the read instead.
        var pipe = new System.IO.Pipelines.Pipe();
        await pipe.Writer.WriteAsync(big);
        await pipe.Writer.CompleteAsync();
        using var chunked = await client.PostAsync("/monitor", new StreamContent(pipe.Reader.AsStream()) { Headers = { ContentType = new("application/json") } });
        foreach (var response in (HttpResponseMessage[])[sized, chunked])
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("ConfigServer:Limits:MaxDocumentBytes",
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("limit").GetString());
        }

        using var deep = await client.PostAsync("/monitor", new StringContent(new string('[', 1000) + new string(']', 1000), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Empty(kafka.ConsumeMany(topic, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task BusRefresh_ThreeClientInstances_SeeChangedValueWithin2Seconds()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo().With("orders.yml", "orders:\n  greeting: before\n  size: 1\n");
        await using var host = await StartAsync(topic, Native(repo));
        var clients = Enumerable.Range(0, 3).Select(_ => NetConfigClient.Create(host, kafka, topic, "orders")).ToList();
        try
        {
            foreach (var c in clients) Assert.Equal("before", c.Options.CurrentValue.Greeting);
            await Eventually.WaitAsync(() => clients.All(c => c.Provider.IsListeningForRefresh), TimeSpan.FromSeconds(20), "bus listeners assigned");

            repo.With("orders.yml", "orders:\n  greeting: after\n  size: 2\n");
            using var http = host.CreateClient();
            var clock = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("/actuator/busrefresh", null)).StatusCode);

            await Eventually.WaitAsync(() => clients.All(c => c.Options.CurrentValue.Greeting == "after"), TimeSpan.FromSeconds(2),
                "all three clients to see the new value");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"propagation took {clock.ElapsedMilliseconds} ms");
            Assert.All(clients, c => Assert.Equal(2, c.Options.CurrentValue.Size));
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    [Fact]
    public async Task BusRefresh_ForAnotherApplication_DoesNotReloadClient()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var repo = new TempRepo().With("orders.yml", "orders:\n  greeting: before\n");
        await using var host = await StartAsync(topic, Native(repo));
        using var c = NetConfigClient.Create(host, kafka, topic, "orders");
        await Eventually.WaitAsync(() => c.Provider.IsListeningForRefresh, TimeSpan.FromSeconds(20), "bus listener assigned");
        repo.With("orders.yml", "orders:\n  greeting: after\n");
        using var http = host.CreateClient();

        await http.PostAsync("/actuator/busrefresh/billing", null);
        await http.PostAsync("/actuator/busrefresh/orders", null);

        await Eventually.WaitAsync(() => c.Options.CurrentValue.Greeting == "after", TimeSpan.FromSeconds(10), "refresh for orders");
        Assert.Equal(1, c.Provider.RefreshCount);
    }

    [Fact]
    public async Task BusRefresh_GitRemoteGone_Returns503NamingTheRepository()
    {
        var topic = kafka.CreateTopic("bus", 1);
        using var git = await GitTestRepo.CreateAsync();
        await git.CommitAsync("v1", ("orders.yml", "orders:\n  size: 1\n"));
        await using var host = await StartAsync(topic, new Dictionary<string, string?>
        {
            ["ConfigServer:Git:Uri"] = git.BarePath,
            ["ConfigServer:Git:BaseDir"] = git.CloneDir,
        });
        using var client = host.CreateClient();
        Directory.Delete(git.BarePath, recursive: true);

        var response = await client.PostAsync("/actuator/busrefresh", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains(git.BarePath, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        // The last fetched commit is still served.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/orders/default")).StatusCode);
    }
}
