using System.Text;
using System.Text.Json.Nodes;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing.Fuzz;

namespace Platform.Gateway.Tests.Fuzz;

/// <summary>Requests the gateway fuzz suites once failed on (each a 500 or 502), replayed exactly.</summary>
public sealed class FuzzRegressionTests
{
    private static async Task<FuzzResponse> SendAsync(FuzzRequest request)
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gateway = await GatewayHost.StartAsync(new GatewayCorpus(backend.Url).Routes());
        using var client = new FuzzClient(new Uri(gateway.Url));
        return await client.SendAsync(request, CancellationToken.None);
    }

    private static FuzzRequest Admin(string id, byte[] body, string contentType) =>
        new FuzzRequest("POST", "/actuator/gateway/routes/" + id).WithHeader("Authorization", "Bearer " + GatewayHost.AdminToken).WithBody(body, contentType);

    /// <summary>CONNECT was forwarded and could only fail upstream: a 502.</summary>
    [Fact]
    public async Task Connect_Is405()
    {
        var response = await SendAsync(new FuzzRequest("CONNECT", "/api/blue/tail"));

        Assert.Equal(405, response.Status);
        Assert.Equal("method: CONNECT (a tunnel) is not proxied", (string?)JsonNode.Parse(response.Body)!["detail"]);
    }

    /// <summary>A non-ASCII header value Kestrel accepted made the forwarding client throw: a 502. Now it goes upstream as sent.</summary>
    [Fact]
    public async Task NonAsciiHeaderValue_IsForwardedAsSent()
    {
        var response = await SendAsync(new FuzzRequest("GET", "/header/x").WithHeader("X-Request-Id", "42").WithHeader("X-Note", "café ✓"));

        Assert.Equal(200, response.Status);
        Assert.Equal("café ✓", (string?)JsonNode.Parse(response.Body)!["headers"]!["X-Note"]);
    }

    [Theory]
    [InlineData("dyn1", "application/json; charset=x-unknown")]
    [InlineData("%7f", "application/json; charset=\"")]
    public async Task PostRoute_WithOddCharsetOrControlCharacterId_IsCreated(string id, string contentType)
    {
        var body = """{"uri":"http://127.0.0.1:9","predicates":["Path=/dyn/**"],"filters":["StripPrefix=1"]}"""u8.ToArray();

        var response = await SendAsync(Admin(id, body, contentType));

        Assert.True(response.Status == 201, $"{response.Status}: {response.Body}");
    }

    [Fact]
    public async Task PostRoute_WithInvalidUtf8_Is400()
    {
        byte[] body = [.. """{"uri":"http://127.0.0.1:9","predicates":["Query=color, gree."],"filters":["AddRequestHeader"""u8, 0xff, .. """=X-Dyn, yes"]}"""u8];

        var response = await SendAsync(Admin("dyn5", body, "application/json"));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("body: not a route definition in UTF-8 JSON", (string?)JsonNode.Parse(response.Body)!["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"uri":"http://127.0.0.1:9","predicates":["Path=/a\ud800"]}""")]
    [InlineData("""{"uri":"http://127.0.0.1:9","predicates":[{"name":"Path","args":{"pattern":"/\udc00x"}}]}""")]
    [InlineData("""{"uri":"http://127.0.0.1:9","filters":["AddRequestHeader=X-A, \ud800"],"predicates":["Path=/a"]}""")]
    public async Task PostRoute_WithLoneSurrogateEscape_Is400(string json)
    {
        var response = await SendAsync(Admin("dyn6", System.Text.Encoding.UTF8.GetBytes(json), "application/json"));

        Assert.Equal(400, response.Status);
        Assert.StartsWith("body: not a route definition in UTF-8 JSON", (string?)JsonNode.Parse(response.Body)!["detail"], StringComparison.Ordinal);
    }
}
