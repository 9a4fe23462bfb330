using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Platform.Discovery.Tests.Infrastructure;
using Platform.Testing.Fuzz;

namespace Platform.Discovery.Tests.Fuzz;

/// <summary>Requests the discovery fuzz suites once failed on, replayed exactly.</summary>
public sealed class FuzzRegressionTests
{
    private static async Task<XElement> XmlRegistryAsync(TestDiscoveryServer server)
    {
        using var client = server.Client(json: false);
        using var response = await client.GetAsync("apps");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return XElement.Parse(text);
    }

    /// <summary>
    /// An empty metadata key (<c>PUT .../metadata?=x</c>) was stored, and every later XML rendering of the registry, the
    /// Java client's default, failed with a 500: one request poisoned <c>GET /eureka/apps</c> for every client.
    /// </summary>
    [Theory]
    [InlineData("/eureka/apps/ORDERS/orders-1/metadata?=x")]
    [InlineData("/eureka/apps/ORDERS/orders-1/metadata?zone=a%07b&%00=c&a%EF%BF%BEb=d&x:y=z")]
    public async Task MetadataKeyOrValueXmlCannotCarry_LeavesTheXmlRegistryReadable(string target)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using (var client = server.Client()) await Eureka.RegisterAsync(client, "orders", "orders-1");
        using var fuzz = new FuzzClient(server.BaseUrl);

        var put = await fuzz.SendAsync(new FuzzRequest("PUT", target), CancellationToken.None);
        Assert.Equal(200, put.Status);

        var registry = await XmlRegistryAsync(server);
        var instance = registry.Element("application")!.Element("instance")!;
        Assert.Equal("orders-1", instance.Element("instanceId")!.Value);
        Assert.All(instance.Element("metadata")!.Elements(), e => Assert.DoesNotContain('\u0007', e.Value));
    }

    /// <summary>JSON string escapes decode to characters XML 1.0 forbids; the registry still renders in both formats.</summary>
    [Fact]
    public async Task RegistrationWithControlCharacters_RendersAsXmlAndJson()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        var body = Eureka.Instance("odd", "odd-1");
        body["instance"]!["metadata"] = new JsonObject { ["zone"] = "a\u0001b", ["name"] = "\u0000\uffff✓ ünïcødé\r\n" };
        using (var client = server.Client())
        using (var registered = await client.PostAsync("apps/ODD", Eureka.Json(body)))
            Assert.Equal(HttpStatusCode.NoContent, registered.StatusCode);

        var metadata = (await XmlRegistryAsync(server)).Element("application")!.Element("instance")!.Element("metadata")!;
        Assert.Equal("a\uFFFDb", metadata.Element("zone")!.Value);
        using var json = server.Client();
        var instance = Assert.Single(Eureka.Instances(await Eureka.GetJsonAsync(json, "apps")));
        Assert.Equal("a\u0001b", (string?)instance["metadata"]!["zone"]);
    }

    /// <summary>A lone surrogate escape parsed, then threw when the registry read the value: a 500.</summary>
    [Fact]
    public async Task RegistrationWithLoneSurrogateEscape_Is400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var fuzz = new FuzzClient(server.BaseUrl);
        var text = Eureka.Instance("odd", "odd-1").ToJsonString().Replace("odd-1", "odd-1\\ud800", StringComparison.Ordinal);

        var response = await fuzz.SendAsync(new FuzzRequest("POST", "/eureka/apps/ODD").WithBody(text, "application/json"), CancellationToken.None);

        Assert.Equal(400, response.Status);
        Assert.Contains("surrogate", (string?)JsonNode.Parse(response.Body)!["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/eureka/apps/ORDERS", """{"instance":"dup","instance":{"hostName":"127.0.0.1","app":"ORDERS"}}""", "Duplicate property 'instance'")]
    [InlineData("/eureka/peerreplication/batch", """{"replicationList":true,"replicationList":[]}""", "Duplicate property 'replicationList'")]
    public async Task JsonBodyWithDuplicateKey_Is400SayingSo(string target, string body, string reason)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var fuzz = new FuzzClient(server.BaseUrl);

        var response = await fuzz.SendAsync(new FuzzRequest("POST", target).WithBody(body, "application/json"), CancellationToken.None);

        Assert.Equal(400, response.Status);
        Assert.Contains(reason, (string?)JsonNode.Parse(response.Body)!["detail"], StringComparison.Ordinal);
    }

    /// <summary>Invalid UTF-8 inside a JSON string parsed, then failed when the registry read the value: a 500.</summary>
    [Fact]
    public async Task JsonBodyWithInvalidUtf8_Is400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var fuzz = new FuzzClient(server.BaseUrl);
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"instance\":{\"hostName\":\"127.0.0.1"), 0xff, .. Encoding.UTF8.GetBytes("\",\"app\":\"ORDERS\"}}")];

        var response = await fuzz.SendAsync(new FuzzRequest("POST", "/eureka/apps/ORDERS").WithBody(body, "application/json"), CancellationToken.None);

        Assert.Equal(400, response.Status);
        Assert.Equal("body: is not valid UTF-8", (string?)JsonNode.Parse(response.Body)!["detail"]);
    }
}
