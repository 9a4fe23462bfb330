using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.ConfigServer.Tests.Support;

namespace Platform.ConfigServer.Tests.Limits;

/// <summary>
/// Hostile files in the native backend: each read answers a 422 naming the limit and the file or key, and the
/// server keeps serving everything else. Without the limits each of these crashed the process or ran for minutes.
/// </summary>
public sealed class NativeLimitTests
{
    private static TempRepo Repo() => new TempRepo().With("orders.yml", "orders:\n  size: 3\n  url: http://${orders.host:shop}/x\n");

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task AssertStillServesAsync(HttpClient client)
    {
        var env = await client.GetStringAsync("/orders/default");
        Assert.Contains("\"orders.size\":3", env, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Theory]
    [InlineData("evil.yml")]
    [InlineData("evil.json")]
    public async Task DeeplyNestedFile_Is422NamingMaxDepth_AndServerStaysUp(string file)
    {
        using var repo = Repo().With(file, file.EndsWith(".json", StringComparison.Ordinal) ? HostileDocuments.DeepJson : HostileDocuments.DeepYaml);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        foreach (var path in (string[])["/evil/default", "/evil-default.yml", "/evil-default.properties"])
        {
            var problem = await ProblemAsync(await client.GetAsync(path), HttpStatusCode.UnprocessableEntity);
            Assert.Equal("ConfigServer:Limits:MaxDepth", problem.GetProperty("limit").GetString());
            Assert.Contains(file, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("broken.yml", "broken:\n  list: [1, 2\n")]
    [InlineData("broken.json", "{\"broken\": ")]
    public async Task MalformedFile_Is422NamingTheFile_AndServerStaysUp(string file, string content)
    {
        using var repo = Repo().With(file, content);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync("/broken/default"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Unreadable Property File", problem.GetProperty("title").GetString());
        Assert.Contains(file, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task YamlAliasBomb_Is422NamingMaxYamlNodes_BeforeExpanding()
    {
        using var repo = Repo().With("evil.yml", HostileDocuments.AliasBomb);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync("/evil/default"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ConfigServer:Limits:MaxYamlNodes", problem.GetProperty("limit").GetString());
        Assert.Contains("evil.yml line ", problem.GetProperty("location").GetString(), StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task YamlAliasCount_OverLimit_Is422NamingMaxYamlAliases()
    {
        var text = "base: &b x\nlist: [" + string.Join(", ", Enumerable.Repeat("*b", 20)) + "]\n";
        using var repo = Repo().With("evil.yml", text);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path,
            new Dictionary<string, string?> { ["ConfigServer:Limits:MaxYamlAliases"] = "10" });
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync("/evil/default"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ConfigServer:Limits:MaxYamlAliases", problem.GetProperty("limit").GetString());
    }

    [Fact]
    public async Task FileOverMaxDocumentBytes_Is422_WithoutBeingParsed()
    {
        using var repo = Repo().With("big.properties", "big=" + new string('x', 4096) + "\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path,
            new Dictionary<string, string?> { ["ConfigServer:Limits:MaxDocumentBytes"] = "2048" });
        using var client = host.CreateClient();

        var problem = await ProblemAsync(await client.GetAsync("/big/default"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ConfigServer:Limits:MaxDocumentBytes", problem.GetProperty("limit").GetString());
        await AssertStillServesAsync(client);
    }

    [Theory]
    [InlineData("/bomb-default.properties", "p")]
    [InlineData("/bomb/default?resolvePlaceholders=true", "p")]
    [InlineData("/empty-default.yml", "q")]
    public async Task ExponentialPlaceholders_Are422NamingTheKey_InBoundedTime(string path, string keyPrefix)
    {
        using var repo = Repo()
            .With("bomb.properties", HostileDocuments.ExponentialPlaceholders)
            .With("empty.properties", HostileDocuments.ExponentialEmptyPlaceholders);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);

        var problem = await ProblemAsync(await client.GetAsync(path), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ConfigServer:Limits:MaxResolvedValueLength", problem.GetProperty("limit").GetString());
        Assert.StartsWith(keyPrefix, problem.GetProperty("location").GetString(), StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task PropertiesWithManyContinuationLines_AreJoinedInLinearTime()
    {
        // 200,000 continuation lines (under 1 MiB) used to be joined by copying the growing line each time: ~100 GB.
        var text = "joined=" + string.Concat(Enumerable.Repeat("ab\\\n", 200_000)) + "end\n";
        using var repo = Repo().With("long.properties", text);
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(10);

        var env = JsonDocument.Parse(await client.GetStringAsync("/long/default")).RootElement;
        var joined = env.GetProperty("propertySources")[0].GetProperty("source").GetProperty("joined").GetString()!;
        Assert.Equal(400_003, joined.Length);
        Assert.EndsWith("ababend", joined, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlaceholderCycle_IsLeftAsWritten_AndChainsWithinLimitsResolve()
    {
        using var repo = Repo().With("loop.properties", "a=${b}\nb=${a}\nc=${d}-${d}\nd=ok\n");
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path);
        using var client = host.CreateClient();

        var text = await client.GetStringAsync("/loop-default.properties");
        Assert.Contains("a: ${a}", text, StringComparison.Ordinal);
        Assert.Contains("c: ok-ok", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidLimits_FailStartNamingEveryKey()
    {
        using var repo = Repo();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => ConfigServerHost.StartNativeAsync(repo.Path,
            new Dictionary<string, string?> { ["ConfigServer:Limits:MaxDepth"] = "100000", ["ConfigServer:Limits:MaxYamlNodes"] = "0" }));
        Assert.Contains("ConfigServer:Limits:MaxDepth", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ConfigServer:Limits:MaxYamlNodes", ex.Message, StringComparison.Ordinal);
    }
}
