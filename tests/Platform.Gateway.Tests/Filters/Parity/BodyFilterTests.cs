using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Platform.Gateway.Configuration;
using Platform.Gateway.Filters;
using Platform.Gateway.Routing;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters.Parity;

/// <summary>CacheRequestBody, ModifyRequestBody, ModifyResponseBody and RemoveJsonAttributesResponseBody through a real upstream.</summary>
public sealed class BodyFilterTests
{
    private const string Document = """{"id":1,"color":"red","size":"m","nested":{"id":2,"color":"blue","keep":true},"list":[{"id":3,"color":"x"}]}""";

    private static async Task<TestBackend> JsonBackendAsync(string body = Document, string contentType = "application/json")
    {
        var backend = await TestBackend.StartAsync("json");
        backend.Handler = async ctx =>
        {
            ctx.Response.ContentType = contentType;
            await ctx.Response.WriteAsync(body);
        };
        return backend;
    }

    [Fact]
    public async Task RemoveJsonAttributesResponseBody_DocExample_RemovesAtRootOnly()
    {
        await using var backend = await JsonBackendAsync();
        await using var gw = await SpringDocExample.StartAsync("removejsonattributesresponsebody", ("https://example.org", backend.Url));

        using var r = await gw.Client.GetAsync("/anything");
        var json = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Null(json["id"]);
        Assert.Null(json["color"]);
        Assert.Equal("m", (string?)json["size"]);
        Assert.Equal(2, (int?)json["nested"]!["id"]);
        Assert.Equal(r.Content.Headers.ContentLength, Encoding.UTF8.GetByteCount(json.ToJsonString()));
    }

    [Fact]
    public async Task RemoveJsonAttributesResponseBody_DocExampleWithTrue_RemovesAtAnyDepth()
    {
        await using var backend = await JsonBackendAsync();
        await using var gw = await SpringDocExample.StartAsync("removejsonattributesresponsebody-recursive", ("https://example.org", backend.Url));

        using var r = await gw.Client.GetAsync("/red/x");
        var json = JsonNode.Parse(await r.Content.ReadAsStringAsync())!;
        Assert.Equal("""{"size":"m","nested":{"keep":true},"list":[{}]}""", json.ToJsonString());
    }

    [Fact]
    public async Task RemoveJsonAttributesResponseBody_NotJson_PassesUnchanged_TooLarge_Is502()
    {
        await using var html = await JsonBackendAsync("<p id=1>hi</p>", "text/html");
        await using var big = await JsonBackendAsync("{\"id\":\"" + new string('x', 2000) + "\"}");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: html
                      uri: {{html.Url}}
                      predicates: [ "Path=/html" ]
                      filters: [ "RemoveJsonAttributesResponseBody=id" ]
                    - id: big
                      uri: {{big.Url}}
                      predicates: [ "Path=/big" ]
                      filters:
                        - name: RemoveJsonAttributesResponseBody
                          args: { fieldList: id, maxSize: 1KB }
            """);
        using var r = await gw.Client.GetAsync("/html");
        Assert.Equal("<p id=1>hi</p>", await r.Content.ReadAsStringAsync());
        using var tooBig = await gw.Client.GetAsync("/big");
        Assert.Equal(HttpStatusCode.BadGateway, tooBig.StatusCode);
        Assert.Contains("maxSize", await tooBig.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheRequestBody_DocExample_KeepsBodyForLaterFilters_AndUpstream()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        var yaml = SpringDocExample.Yaml("cacherequestbody", ("lb://downstream", backend.Url))
            .Replace("                bodyClass: java.lang.String", "                bodyClass: java.lang.String\n            - CachedBodyLength", StringComparison.Ordinal);
        await using var gw = await GatewayHost.StartAsync(yaml, configureServices: s => s.AddGatewayFilterFactory<CachedBodyLengthGatewayFilterFactory>());

        using var r = await gw.Client.PostAsync("/downstream/orders", new StringContent("héllo body", Encoding.UTF8, "text/plain"));
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("héllo body", echo.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount("héllo body").ToString(System.Globalization.CultureInfo.InvariantCulture), echo.Header("X-Cached-Length"));

        using var binary = await gw.Client.PostAsync("/downstream/orders", new ByteArrayContent([0xff, 0xfe, 0x00]));
        Assert.Equal(HttpStatusCode.BadRequest, binary.StatusCode);
        Assert.Contains("java.lang.String", await binary.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheRequestBody_OverMaxSize_Is413_JsonClassRefusesNonJson()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: cache
                      uri: {{backend.Url}}
                      predicates: [ "Path=/cache/**" ]
                      filters:
                        - name: CacheRequestBody
                          args: { bodyClass: java.util.Map, maxSize: 64B }
            """);
        using var large = await gw.Client.PostAsync("/cache/x", new StringContent("{\"a\":\"" + new string('x', 100) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        using var notJson = await gw.Client.PostAsync("/cache/x", new StringContent("a=b"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var ok = await gw.Client.PostAsync("/cache/x", new StringContent("{\"a\":1}"));
        Assert.Equal("{\"a\":1}", (await EchoResponse.ReadAsync(ok)).Body);
        Assert.Equal(0, backend.Hits - 1);
    }

    [Fact]
    public async Task ModifyRequestBody_SetsAndRemovesFields_ConvertsFormToJson_Bounded()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: modify
                      uri: {{backend.Url}}
                      predicates: [ "Path=/orders/**" ]
                      filters:
                        - name: ModifyRequestBody
                          args:
                            set:
                              status: approved
                              audit.by: gateway
                              priority: 5
                            remove: [ secret, card.number ]
                            maxSize: 1KB
                    - id: form
                      uri: {{backend.Url}}
                      predicates: [ "Path=/form/**" ]
                      filters:
                        - name: ModifyRequestBody
                          args: { from: form, to: json }
            """);
        using var r = await gw.Client.PostAsync("/orders/1",
            new StringContent("""{"secret":"s","card":{"number":"4111","holder":"A"},"qty":2}""", Encoding.UTF8, "application/json"));
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("""{"card":{"holder":"A"},"qty":2,"status":"approved","audit":{"by":"gateway"},"priority":5}""", echo.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(echo.Body).ToString(System.Globalization.CultureInfo.InvariantCulture), echo.Header("Content-Length"));

        using var form = await gw.Client.PostAsync("/form/x", new FormUrlEncodedContent([new("a", "1"), new("b", "x y"), new("b", "z")]));
        var formEcho = await EchoResponse.ReadAsync(form);
        Assert.Equal("""{"a":"1","b":["x y","z"]}""", formEcho.Body);
        Assert.StartsWith("application/json", formEcho.Header("Content-Type"), StringComparison.Ordinal);

        using var notJson = await gw.Client.PostAsync("/orders/1", new StringContent("[1,2]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var large = await gw.Client.PostAsync("/orders/1", new StringContent("{\"a\":\"" + new string('x', 2000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
    }

    [Fact]
    public async Task ModifyResponseBody_EditsJsonAnswer_WithNewLengthAndType()
    {
        await using var backend = await JsonBackendAsync();
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  server:
                    webflux:
                      routes:
                        - id: modify
                          uri: {{backend.Url}}
                          predicates: [ "Path=/items/**" ]
                          filters:
                            - name: ModifyResponseBody
                              args:
                                set: { served-by: gateway }
                                remove: color,nested.color
                                newContentType: application/vnd.items+json
                            - AddResponseHeader=X-After, 1
            """);
        using var r = await gw.Client.GetAsync("/items/1");
        var text = await r.Content.ReadAsStringAsync();
        Assert.Equal("""{"id":1,"size":"m","nested":{"id":2,"keep":true},"list":[{"id":3,"color":"x"}],"served-by":"gateway"}""", text);
        Assert.Equal("application/vnd.items+json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), r.Content.Headers.ContentLength);
        Assert.Equal("1", r.Headers.GetValues("X-After").Single());
    }

    [Fact]
    public async Task ModifyRequestBody_NothingToChange_IsRefusedAtCompile()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: nothing
                      uri: http://127.0.0.1:9
                      filters: [ ModifyRequestBody ]
            """));
        Assert.Contains("route 'nothing'", ex.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A later filter reading what CacheRequestBody kept, as Spring's ReadBody predicate or a team's filter would.</summary>
    private sealed class CachedBodyLengthGatewayFilterFactory : IGatewayFilterFactory
    {
        public string Name => "CachedBodyLength";
        public IReadOnlyList<string> ShortcutFields { get; } = [];

        public IGatewayFilter Create(ComponentArgs args, FilterContext context) => DelegateGatewayFilter.Pre(ctx =>
            ctx.Request.Headers["X-Cached-Length"] = GatewayRequestState.Find(ctx)?.CachedRequestBody?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
