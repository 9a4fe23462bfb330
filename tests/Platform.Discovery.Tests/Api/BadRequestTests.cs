using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Discovery.Tests.Infrastructure;

namespace Platform.Discovery.Tests.Api;

public sealed class BadRequestTests
{
    [Theory]
    [InlineData("{not json", "body")]
    [InlineData("[]", "body")]
    [InlineData("{\"instance\": 5}", "instance")]
    [InlineData("{\"instance\": {\"app\": \"BAD\"}}", "instance.hostName")]
    [InlineData("{\"instance\": {\"hostName\": \"h\", \"port\": {\"$\": \"eighty\"}}}", "instance.port")]
    [InlineData("{\"instance\": {\"hostName\": \"h\", \"port\": 70000}}", "instance.port")]
    [InlineData("{\"instance\": {\"hostName\": \"h\", \"status\": \"SLEEPY\"}}", "instance.status")]
    [InlineData("{\"instance\": {\"hostName\": \"h\", \"app\": \"OTHER\"}}", "instance.app")]
    [InlineData("{\"instance\": {\"hostName\": \"h\", \"leaseInfo\": {\"durationInSecs\": -1}}}", "instance.leaseInfo.durationInSecs")]
    public async Task Register_BadBody_Is400ProblemNamingTheField(string body, string field)
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using var response = await client.PostAsync("apps/bad", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.StartsWith(field + ":", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_MalformedXml_Is400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using var response = await client.PostAsync("apps/bad", new StringContent("<instance><hostName>", Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Register_OversizedBody_Is413()
    {
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?> { ["Eureka:Server:MaxBodyBytes"] = "2048" });
        using var client = server.Client();
        var big = Eureka.Instance("big", "b-1");
        big["instance"]!["metadata"] = new JsonObject { ["blob"] = new string('x', 4096) };
        using var response = await client.PostAsync("apps/big", Eureka.Json(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Heartbeat_BadQuery_Is400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using var status = await client.PutAsync("apps/X/y?status=NAPPING", null);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        using var dirty = await client.PutAsync("apps/X/y?lastDirtyTimestamp=yesterday", null);
        Assert.Equal(HttpStatusCode.BadRequest, dirty.StatusCode);
    }

    [Fact]
    public async Task BasicAuth_WhenConfigured_GuardsWritesButNotReads()
    {
        await using var server = await TestDiscoveryServer.StartAsync(new Dictionary<string, string?>
        {
            ["Eureka:Server:Username"] = "eureka",
            ["Eureka:Server:Password"] = "s3cret",
        });
        using var client = server.Client();
        using (var anonymous = await client.PostAsync("apps/sec", Eureka.Json(Eureka.Instance("sec", "s-1"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("eureka:wrong")));
        using (var wrong = await client.PostAsync("apps/sec", Eureka.Json(Eureka.Instance("sec", "s-1"))))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("eureka:s3cret")));
        using (var ok = await client.PostAsync("apps/sec", Eureka.Json(Eureka.Instance("sec", "s-1"))))
            Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        using var reader = server.Client();
        Assert.Single(Eureka.Instances(await Eureka.GetJsonAsync(reader, "apps")));
        using var cancel = await reader.DeleteAsync("apps/SEC/s-1");
        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
    }
}
