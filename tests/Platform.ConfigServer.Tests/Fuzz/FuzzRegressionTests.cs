using System.Text.Json.Nodes;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;
using Platform.Testing.Fuzz;

namespace Platform.ConfigServer.Tests.Fuzz;

/// <summary>Requests the config server fuzz suite once failed on (each a 500), replayed exactly.</summary>
public sealed class FuzzRegressionTests(KafkaFixture kafka) : IClassFixture<KafkaFixture>
{
    private async Task<FuzzResponse> SendAsync(FuzzRequest request)
    {
        using var repo = ConfigServerCorpus.Repository();
        await using var host = await ConfigServerHost.StartNativeAsync(repo.Path, new Dictionary<string, string?>
        {
            ["ConfigServer:Bus:Enabled"] = "true",
            ["ConfigServer:Bus:Topic"] = kafka.CreateTopic("bus", 1),
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        });
        using var client = new FuzzClient(host.BaseAddress, [new("Authorization", "Bearer " + ConfigServerHost.Token)]);
        return await client.SendAsync(request, CancellationToken.None);
    }

    private static string Detail(FuzzResponse response) => (string?)JsonNode.Parse(response.Body)!["detail"] ?? "";

    /// <summary>A query value that is no bool failed to bind, and the exception handler made that a 500.</summary>
    [Theory]
    [InlineData("/orders-dev.yml?resolvePlaceholders=-1e400")]
    [InlineData("/orders/prod/prod?resolvePlaceholders=%7B%7B7%2A7%7D%7D")]
    [InlineData("/application-default.yml?resolvePlaceholders=%0a&=false%2A")]
    public async Task ResolvePlaceholdersThatIsNoBool_Is400NamingTheParameter(string target)
    {
        var response = await SendAsync(FuzzRequest.Get(target));

        Assert.Equal(400, response.Status);
        Assert.Contains("resolvePlaceholders", Detail(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", """{"ref":"refs/heads/main","commits":[null]}""", "no changed files")]
    [InlineData("application/json", """{"ref":"refs/heads/main","commits":[2.6E+29,true]}""", "no changed files")]
    [InlineData("multipart/form-data", """{"ref":"refs/heads/main","commits":[]}""", "body: not a form")]
    [InlineData("application/x-www-form-urlencoded", "path=orders.yml%1B%5B31morders.yml", "not an application name")]
    [InlineData("application/x-www-form-urlencoded", "path=orders.yml%09orders.yml", "not an application name")]
    public async Task MonitorPayloadOutOfShape_Is400SayingWhy(string contentType, string body, string reason)
    {
        var response = await SendAsync(new FuzzRequest("POST", "/monitor").WithBody(body, contentType));

        Assert.Equal(400, response.Status);
        Assert.Contains(reason, Detail(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorPayloadWithInvalidUtf8FileName_Is400()
    {
        byte[] body = [.. """{"commits":[{"modified":["orders-dev.y"""u8, 0xff, 0xfe, .. """ml"]}]}"""u8];

        var response = await SendAsync(new FuzzRequest("POST", "/monitor").WithBody(body, "application/json"));

        Assert.Equal(400, response.Status);
        Assert.Contains("not valid UTF-8", Detail(response), StringComparison.Ordinal);
    }
}
