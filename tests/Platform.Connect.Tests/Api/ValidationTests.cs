using System.Net;
using System.Text.Json.Nodes;
using Platform.Connect.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Connect.Tests.Api;

/// <summary>Bad configurations answer 400 naming each field; the validate endpoint reports errors per field (ConfigInfos).</summary>
public sealed class ValidationTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("connect-validate-").FullName;
    private TestConnectWorker _worker = null!;

    public async Task InitializeAsync() =>
        _worker = await TestConnectWorker.StartAsync(TestConnectWorker.Standalone(kafka.BootstrapServers, Path.Combine(_dir, "offsets")));

    [Fact]
    public async Task UnknownConnectorClass_Is400_NamingTheClass()
    {
        using var client = _worker.Client();
        var (status, body) = await client.SendAsync(HttpMethod.Post, "connectors",
            new JsonObject { ["name"] = "bad", ["config"] = new JsonObject { ["connector.class"] = "com.example.NoSuchConnector" } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, body!["error_code"]!.GetValue<int>());
        var message = body["message"]!.GetValue<string>();
        Assert.StartsWith("Connector configuration is invalid and contains the following 1 error(s):", message);
        Assert.Contains("Invalid value com.example.NoSuchConnector for configuration connector.class: Class com.example.NoSuchConnector could not be found.", message);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Get, "connectors/bad")).Status);
    }

    [Fact]
    public async Task MissingConnectionUrl_AndBadSmt_AreReportedPerField()
    {
        using var client = _worker.Client();
        var config = new JsonObject
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["mode"] = "incrementing",
            ["incrementing.column.name"] = "id",
            ["topic.prefix"] = "db-",
            ["transforms"] = "route,broken",
            ["transforms.route.type"] = "org.apache.kafka.connect.transforms.RegexRouter",
            ["transforms.route.regex"] = "(.*",
            ["transforms.route.replacement"] = "x",
            ["transforms.broken.type"] = "com.example.NoSuchTransform",
        };
        var (status, body) = await client.SendAsync(HttpMethod.Put, "connector-plugins/JdbcSourceConnector/config/validate", config);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, body!["error_count"]!.GetValue<int>());
        Assert.Contains("Transforms: route", body["groups"]!.AsArray().Select(g => g!.GetValue<string>()));
        var errors = body["configs"]!.AsArray()
            .Where(c => c!["value"]!["errors"]!.AsArray().Count > 0)
            .ToDictionary(c => c!["value"]!["name"]!.GetValue<string>(), c => c!["value"]!["errors"]![0]!.GetValue<string>());
        Assert.Equal("Missing required configuration \"connection.url\" which has no default value.", errors["connection.url"]);
        Assert.StartsWith("Invalid value (.* for configuration transforms.route.regex: Invalid regex", errors["transforms.route.regex"]);
        Assert.Equal("Invalid value com.example.NoSuchTransform for configuration transforms.broken.type: Class com.example.NoSuchTransform could not be found.",
            errors["transforms.broken.type"]);
        var definition = body["configs"]!.AsArray().First(c => c!["definition"]!["name"]!.GetValue<string>() == "connection.url")!["definition"]!;
        Assert.Equal("STRING", definition["type"]!.GetValue<string>());
        Assert.True(definition["required"]!.GetValue<bool>());

        var (createStatus, created) = await client.SendAsync(HttpMethod.Post, "connectors", new JsonObject { ["name"] = "jdbc-bad", ["config"] = config.DeepClone() });
        Assert.Equal(HttpStatusCode.BadRequest, createStatus);
        Assert.Contains("contains the following 3 error(s)", created!["message"]!.GetValue<string>());
        Assert.Contains("connection.url", created["message"]!.GetValue<string>());
        Assert.Contains("transforms.broken.type", created["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"config\":[1,2]}", "config: must be a JSON object")]
    [InlineData("{\"name\":\"x\",\"config\":{\"tasks.max\":{\"a\":1}}}", "config.tasks.max: must be a string")]
    [InlineData("{\"name\":\"x\"", "Request body is not valid JSON")]
    [InlineData("{\"name\":\"x\",\"config\":{\"connector.class\":\"FileStreamSource\",\"file\":\"/tmp/x\",\"topic\":\"t\",\"tasks.max\":\"zero\"}}", "tasks.max: Not a number of type INT")]
    [InlineData("{\"name\":\"\",\"config\":{}}", "name: connector name must be specified")]
    public async Task MalformedBodies_Are4xx_NamingTheField(string body, string expected)
    {
        using var client = _worker.Client();
        using var response = await client.PostAsync("connectors", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, json["error_code"]!.GetValue<int>());
        Assert.Contains(expected, json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeepOrHugeBodies_AreRefused()
    {
        using var client = _worker.Client();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        using var deepResponse = await client.PostAsync("connectors", new StringContent(deep, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, deepResponse.StatusCode);
        var huge = "{\"name\":\"x\",\"config\":{\"v\":\"" + new string('a', 2 * 1024 * 1024) + "\"}}";
        using var hugeResponse = await client.PostAsync("connectors", new StringContent(huge, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeResponse.StatusCode);
    }

    [Fact]
    public async Task PluginsAndLoggers_AnswerInKafkaShapes()
    {
        using var client = _worker.Client();
        var (_, plugins) = await client.SendAsync(HttpMethod.Get, "connector-plugins");
        var classes = plugins!.AsArray().ToDictionary(p => p!["class"]!.GetValue<string>(), p => p!["type"]!.GetValue<string>());
        Assert.Equal("source", classes["org.apache.kafka.connect.file.FileStreamSourceConnector"]);
        Assert.Equal("sink", classes["org.apache.kafka.connect.file.FileStreamSinkConnector"]);
        Assert.DoesNotContain("transformation", classes.Values);
        var (_, all) = await client.SendAsync(HttpMethod.Get, "connector-plugins?connectorsOnly=false");
        Assert.Contains(all!.AsArray(), p => p!["class"]!.GetValue<string>() == "org.apache.kafka.connect.transforms.ValueToKey" && p["type"]!.GetValue<string>() == "transformation");

        var (setStatus, changed) = await client.SendAsync(HttpMethod.Put, "admin/loggers/Platform.Connect", new JsonObject { ["level"] = "DEBUG" });
        Assert.Equal(HttpStatusCode.OK, setStatus);
        Assert.Contains("Platform.Connect", changed!.AsArray().Select(n => n!.GetValue<string>()));
        var (_, one) = await client.SendAsync(HttpMethod.Get, "admin/loggers/Platform.Connect.Runtime.Herder");
        Assert.Equal("DEBUG", one!["level"]!.GetValue<string>());
        var (_, loggers) = await client.SendAsync(HttpMethod.Get, "admin/loggers");
        Assert.Equal("DEBUG", loggers!["Platform.Connect"]!["level"]!.GetValue<string>());
        Assert.True(loggers["root"]!.AsObject().ContainsKey("last_modified"));
        var (badStatus, bad) = await client.SendAsync(HttpMethod.Put, "admin/loggers/x", new JsonObject { ["level"] = "LOUD" });
        Assert.Equal(HttpStatusCode.NotFound, badStatus);
        Assert.Equal("Invalid log level 'LOUD'.", bad!["message"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await _worker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
