using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Api;

/// <summary>
/// Bodies nested far deeper than any Eureka document: one 350 KB request used to overflow the stack in the
/// XML-to-JSON conversion and take the whole server down. Now a 400 naming the limit, and the next request works.
/// </summary>
public sealed class DeepBodyTests
{
    private static string DeepXml(int depth) =>
        string.Concat(Enumerable.Repeat("<a>", depth)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth));

    private static async Task AssertTooDeepAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("body", problem["field"]!.GetValue<string>());
        Assert.Equal("Eureka:Server:MaxBodyDepth", problem["limit"]!.GetValue<string>());
        Assert.StartsWith("body: nested deeper than 64 levels", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task AssertStillServesAsync(HttpClient client)
    {
        using var registered = await client.PostAsync("apps/ok", Eureka.Json(Eureka.Instance("ok", "ok-1")));
        Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);
        using var apps = await client.GetAsync("apps/OK");
        Assert.Equal(HttpStatusCode.OK, apps.StatusCode);
    }

    /// <summary>The batch endpoint takes 8 MiB bodies, registration 64 KiB: each gets the deepest body it accepts by size.</summary>
    [Theory]
    [InlineData("peerreplication/batch", 50_000)]
    [InlineData("apps/evil", 9_000)]
    public async Task DeeplyNestedXml_Is400NamingMaxBodyDepth_AndServerStaysUp(string path, int depth)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        var xml = DeepXml(depth);

        using (var response = await client.PostAsync(path, new StringContent(xml, Encoding.UTF8, "application/xml")))
            await AssertTooDeepAsync(response);
        // Same keep-alive connection: the server and the connection both survived.
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task XmlJustInsideTheLimit_IsParsed()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        // 64 levels are accepted; the body is then an invalid batch, which is a different 400.
        using var response = await client.PostAsync("peerreplication/batch", new StringContent(DeepXml(64), Encoding.UTF8, "application/xml"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("replicationList", problem["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("peerreplication/batch", 50_000)]
    [InlineData("apps/evil", 30_000)]
    public async Task DeeplyNestedJson_Is400NamingMaxBodyDepth(string path, int depth)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        var json = "{\"replicationList\": " + new string('[', depth) + new string(']', depth) + "}";

        using (var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")))
            await AssertTooDeepAsync(response);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task XmlWithDtd_Is400_WithoutExpandingEntities()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        const string laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><instance>&lol2;</instance>";
        using var response = await client.PostAsync("apps/evil", new StringContent(laughs, Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed XML", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task InvalidMaxBodyDepth_FailsStartNamingTheKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() =>
            TestDiscoveryServer.StartAsync(new Dictionary<string, string?> { ["Eureka:Server:MaxBodyDepth"] = "100000" }));
        Assert.Contains("Eureka:Server:MaxBodyDepth", ex.Message, StringComparison.Ordinal);
    }
}
