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

    [Fact]
    public async Task Register_GzipBody_IsAccepted_AndBrokenGzipIs400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using var zipped = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            z.Write(Encoding.UTF8.GetBytes(Eureka.Instance("zip", "z-1").ToJsonString()));
        var content = new ByteArrayContent(zipped.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using (var ok = await client.PostAsync("apps/zip", content)) Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        var broken = new ByteArrayContent("not gzip at all"u8.ToArray());
        broken.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        broken.Headers.ContentEncoding.Add("gzip");
        using var bad = await client.PostAsync("apps/zip", broken);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Register_XmlWithDoctype_IsRefused_NotExpanded()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        const string xxe = """<?xml version="1.0"?><!DOCTYPE instance [<!ENTITY x SYSTEM "file:///etc/passwd">]><instance><hostName>&x;</hostName></instance>""";
        using var response = await client.PostAsync("apps/xxe", new StringContent(xxe, Encoding.UTF8, "application/xml"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Register_DeeplyNestedJson_Is400()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        var nested = "{\"instance\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201);
        using var response = await client.PostAsync("apps/deep", new StringContent(nested, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ReplicationBatch_WithoutList_Is400_AndBadEntriesGetTheirOwnStatus()
    {
        await using var server = await TestDiscoveryServer.StartAsync();
        using var client = server.Client();
        using (var r = await client.PostAsync("peerreplication/batch", new StringContent("{}", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var batch = new JsonObject
        {
            ["replicationList"] = new JsonArray(
                new JsonObject { ["appName"] = "X", ["id"] = "x-1", ["action"] = "Explode" },
                new JsonObject { ["appName"] = "X", ["id"] = "x-1", ["action"] = "Heartbeat" },
                new JsonObject { ["appName"] = "X", ["id"] = "x-1", ["action"] = "Register", ["instanceInfo"] = Eureka.Instance("x", "x-1")["instance"]!.DeepClone() }),
        };
        using var response = await client.PostAsync("peerreplication/batch", Eureka.Json(batch));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var codes = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["responseList"]!.AsArray().Select(r => r!["statusCode"]!.GetValue<int>());
        Assert.Equal([400, 404, 200], codes);
        Assert.Single(Eureka.Instances(await Eureka.GetJsonAsync(client, "apps")));
    }
}
