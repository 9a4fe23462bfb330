using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Console.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class ConnectorsPageTests(ConsoleFixture fx)
{
    [Fact]
    public async Task Connectors_ShowTheWorkersConnectorsAndTasks_AndTheNamespacesResources_WithSecretsMasked()
    {
        var dir = Directory.CreateTempSubdirectory("console-connect-").FullName;
        var topic = fx.Kafka.CreateTopic("console-connect", partitions: 1);
        var file = Path.Combine(dir, "input.txt");
        await File.WriteAllLinesAsync(file, ["one"]);
        var (worker, address) = await ConnectWorker.StartAsync(fx.Kafka.BootstrapServers, Path.Combine(dir, "offsets"));
        await using var _ = worker;
        using var connect = new HttpClient { BaseAddress = address };
        connect.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ConnectWorker.User}:{ConnectWorker.Password}")));
        var body = new JsonObject
        {
            ["name"] = "lines",
            ["config"] = new JsonObject
            {
                ["connector.class"] = "FileStreamSource", ["file"] = file, ["topic"] = topic,
                ["value.converter"] = "org.apache.kafka.connect.storage.StringConverter", ["connection.password"] = "worker-plaintext-pw",
            },
        }.ToJsonString();
        // 409 while the worker is still reading its offsets and config (Connect's "rebalance in progress").
        await Eventually.WaitAsync(async () =>
        {
            using var created = await connect.PostAsync("connectors", Http.Json(body));
            Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"create: {created.StatusCode}");
            return created.StatusCode == HttpStatusCode.Created;
        }, TimeSpan.FromSeconds(30), "the worker creates the connector");
        await Eventually.WaitAsync(async () => (string?)JsonNode.Parse(await connect.GetStringAsync("connectors/lines/status"))?["tasks"]?[0]?["state"] == "RUNNING",
            TimeSpan.FromSeconds(30), "the connector's task runs");

        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/apis/kafka.platform.io/v1/namespaces/{ns}/kafkaconnectors", Http.Yaml("""
            apiVersion: kafka.platform.io/v1
            kind: KafkaConnector
            metadata:
              name: orders-sink
            spec:
              class: JdbcSink
              tasksMax: 2
              config:
                topics: orders
                connection.url: jdbc:postgresql://127.0.0.1:5432/shop
                connection.password: resource-plaintext-pw
            """)).ExpectAsync(201);

        var console = await ConsoleFixture.StartConsoleAsync(new Dictionary<string, string?>
        {
            ["Console:ApiServerUrl"] = fx.ApiServer.BaseAddress.ToString(),
            ["Console:TopicPrefix"] = fx.ApiServer.TopicPrefix,
            ["Console:ConnectUrl"] = $"http://{ConnectWorker.User}:{ConnectWorker.Password}@{address.Authority}",
            ["Kafka:BootstrapServers"] = fx.Kafka.BootstrapServers,
        });
        await using var __ = console;
        using var browser = new ConsoleBrowser(new Uri(console.Urls.First()));
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var (status, html) = await browser.GetAsync($"/connectors?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-connector=\"lines\"", html, StringComparison.Ordinal);
        Assert.Contains("<td>source</td>", html, StringComparison.Ordinal);
        Assert.Contains("data-task=\"lines/0\" class=\"ok\">0: RUNNING on 127.0.0.1:", html, StringComparison.Ordinal);
        Assert.Contains($"<code>topic={topic}</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>connection.password=******</code>", html, StringComparison.Ordinal);
        Assert.Contains($"data-kafkaconnector=\"{ns}/orders-sink\"", html, StringComparison.Ordinal);
        Assert.Contains("<code>JdbcSink</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>topics=orders</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("worker-plaintext-pw", html, StringComparison.Ordinal);
        Assert.DoesNotContain("resource-plaintext-pw", html, StringComparison.Ordinal);

        // A namespace viewer sees its KafkaConnectors but not the workers (every namespace's connectors).
        using var viewer = new ConsoleBrowser(new Uri(console.Urls.First()));
        (await viewer.SignInAsync(await fx.ServiceAccountTokenAsync(ns, "dev", "view"))).Dispose();
        var (viewed, text) = await viewer.GetAsync($"/connectors?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, viewed);
        Assert.Contains($"data-kafkaconnector=\"{ns}/orders-sink\"", text, StringComparison.Ordinal);
        Assert.Contains("needs list on kafkaconnectors.kafka.platform.io in every namespace", text, StringComparison.Ordinal);
        Assert.DoesNotContain("data-connector=\"lines\"", text, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData("connection.password", true)]
    [InlineData("aws.secret.access.key", true)]
    [InlineData("sasl.jaas.config.token", true)]
    [InlineData("api_token", true)]
    [InlineData("key.converter", false)]
    [InlineData("connection.url", false)]
    public void Secrets_MaskKeysWhoseLastSegmentNamesASecret(string key, bool masked) =>
        Assert.Equal(masked ? Platform.Console.Connect.Secrets.Masked : "v", Platform.Console.Connect.Secrets.Mask(key, "v"));
}
