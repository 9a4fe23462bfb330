using System.Net;
using System.Text.Json;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Environment;

public sealed class EnvironmentApiTests
{
    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static List<string> SourceNames(JsonElement env) =>
        [.. env.GetProperty("propertySources").EnumerateArray().Select(s => Path.GetFileName(s.GetProperty("name").GetString()!))];

    [Fact]
    public async Task GetEnvironment_AppAndProfile_ListsSourcesInSpringPrecedence()
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var env = await GetJsonAsync(client, "/orders/dev");

        Assert.Equal("orders", env.GetProperty("name").GetString());
        Assert.Equal(["dev"], env.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, env.GetProperty("label").ValueKind);
        Assert.Equal(JsonValueKind.Null, env.GetProperty("version").ValueKind);
        Assert.Equal(["orders-dev.properties", "application-dev.yml", "orders.yml", "application.yml"], SourceNames(env));
        var first = env.GetProperty("propertySources")[0];
        Assert.StartsWith("file:", first.GetProperty("name").GetString());
        Assert.Equal("50", first.GetProperty("source").GetProperty("orders.page-size").GetString());
        var orders = env.GetProperty("propertySources")[2].GetProperty("source");
        Assert.Equal(20, orders.GetProperty("orders.page-size").GetInt32());
        Assert.True(orders.GetProperty("orders.enabled").GetBoolean());
        Assert.Equal(0.5, orders.GetProperty("orders.ratio").GetDouble());
        Assert.Equal("b", orders.GetProperty("orders.tags[1]").GetString());
    }

    [Theory]
    [InlineData("/orders/dev,prod")]
    [InlineData("/orders/dev%2Cprod")]
    public async Task GetEnvironment_MultipleProfiles_LaterProfileHasHigherPrecedence(string path)
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var env = await GetJsonAsync(client, path);

        Assert.Equal(["dev", "prod"], env.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["orders-prod.yml", "orders-dev.properties", "application-dev.yml", "orders.yml", "application.yml"], SourceNames(env));
    }

    [Fact]
    public async Task GetEnvironment_UnknownApplication_Returns200WithNoSources()
    {
        using var repo = new TempRepo().With("orders.yml", "a: 1\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var env = await GetJsonAsync(client, "/nobody/default");

        Assert.Equal("nobody", env.GetProperty("name").GetString());
        Assert.Equal(0, env.GetProperty("propertySources").GetArrayLength());
    }

    [Fact]
    public async Task GetEnvironment_UnknownLabel_Returns404ProblemNamingTheLabel()
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var response = await client.GetAsync("/orders/dev/no-such-branch");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-branch", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetEnvironment_LabelWithUnderscoreEscape_ServesThatLabelFirst()
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var env = await GetJsonAsync(client, "/orders/default/release(_)1.0");

        Assert.Equal("release/1.0", env.GetProperty("label").GetString());
        var first = env.GetProperty("propertySources")[0];
        Assert.EndsWith("release/1.0/orders.yml", first.GetProperty("name").GetString());
        Assert.Equal(10, first.GetProperty("source").GetProperty("orders.page-size").GetInt32());
    }

    [Theory]
    [InlineData("/orders/a..b", "profile")]
    [InlineData("/or..ders/dev", "application")]
    [InlineData("/orders/dev/x..y", "label")]
    public async Task GetEnvironment_PathTraversal_Returns400ProblemNamingTheField(string path, string field)
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith(field + ":", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetEnvironment_ResolvePlaceholdersQuery_ResolvesAgainstAllSources()
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var raw = await GetJsonAsync(client, "/orders/dev");
        var resolved = await GetJsonAsync(client, "/orders/dev?resolvePlaceholders=true");

        Assert.Equal("http://${orders.host:localhost}:${orders.port}/api",
            raw.GetProperty("propertySources")[0].GetProperty("source").GetProperty("orders.url").GetString());
        Assert.Equal("http://localhost:8080/api",
            resolved.GetProperty("propertySources")[0].GetProperty("source").GetProperty("orders.url").GetString());
    }

    [Fact]
    public async Task GetPlainText_PrefersProfileVariantAndResolvesPlaceholders()
    {
        using var repo = TempRepo.Sample();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        Assert.Equal("server { listen 8080; }\n", await client.GetStringAsync("/orders/dev/main/nginx.conf"));
        Assert.Equal("prod { size 500; }\n", await client.GetStringAsync("/orders/prod/main/nginx.conf"));
        var missing = await client.GetAsync("/orders/dev/main/missing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task GetEnvironment_SeveralApplicationNames_LaterNameWins()
    {
        using var repo = new TempRepo()
            .With("application.yml", "a: app\n")
            .With("common.yml", "a: common\nb: common\n")
            .With("orders.yml", "a: orders\n")
            .With("orders-dev.yml", "c: orders-dev\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var env = await GetJsonAsync(client, "/common,orders/dev");

        Assert.Equal("common,orders", env.GetProperty("name").GetString());
        Assert.Equal(["orders-dev.yml", "orders.yml", "common.yml", "application.yml"], SourceNames(env));
    }
}
