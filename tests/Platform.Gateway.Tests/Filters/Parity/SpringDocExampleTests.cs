using System.Net;
using System.Text.Json;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters.Parity;

/// <summary>The request, URI and header filters of Spring Cloud Gateway, each through its documentation's YAML and a real upstream.</summary>
public sealed class SpringDocExampleTests
{
    [Fact]
    public async Task RemoveRequestParameter_DocExample_UpstreamNeverSeesRed()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await SpringDocExample.StartAsync("removerequestparameter", ("https://example.org", backend.Url));

        using var r = await gw.Client.GetAsync("/any?red=1&blue=2&red=3&x%20y=z");
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("?blue=2&x%20y=z", echo.Query);
        using var only = await gw.Client.GetAsync("/any?red=1");
        Assert.Equal("", (await EchoResponse.ReadAsync(only)).Query);
    }

    [Fact]
    public async Task RewriteRequestParameter_DocExample_ReplacesEveryValueWithOne()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await SpringDocExample.StartAsync("rewriterequestparameter", ("https://example.org", backend.Url));

        using var r = await gw.Client.GetAsync("/products?campaign=old&size=m&campaign=older");
        Assert.Equal("?size=m&campaign=fall2023", (await EchoResponse.ReadAsync(r)).Query);
        using var none = await gw.Client.GetAsync("/products?size=m");
        Assert.Equal("?size=m", (await EchoResponse.ReadAsync(none)).Query);
    }

    [Fact]
    public async Task SetRequestHostHeader_DocExample_UpstreamGetsExampleOrg()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await SpringDocExample.StartAsync("setrequesthostheader", ("http://localhost:8080", backend.Url));

        using var r = await gw.Client.GetAsync("/headers");
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("echo", echo.Backend);
        Assert.Equal("example.org", echo.Header("Host"));
    }

    [Fact]
    public async Task RequestHeaderToRequestUri_DocExample_HeaderPicksTheUrl()
    {
        await using var route = await TestBackend.StartAsync("route");
        await using var other = await TestBackend.StartAsync("other");
        await using var gw = await SpringDocExample.StartAsync("requestheadertorequesturi", ("https://example.org", route.Url));

        using var req = new HttpRequestMessage(HttpMethod.Get, "/ignored?q=1");
        req.Headers.Add("X-CF-Forwarded-Url", $"{other.Url}/path?x=2");
        using var r = await gw.Client.SendAsync(req);
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("other", echo.Backend);
        Assert.Equal("/path", echo.Path);
        Assert.Equal("?x=2", echo.Query);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/kept");
        bad.Headers.Add("X-CF-Forwarded-Url", "not a url");
        using var r2 = await gw.Client.SendAsync(bad);
        var kept = await EchoResponse.ReadAsync(r2);
        Assert.Equal(("route", "/kept"), (kept.Backend, kept.Path));
    }

    [Fact]
    public async Task SetRequestUri_DocExample_TemplateFromPathVariable_KeepsPath()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        // http://{appId}.example.com → http://127.0.0.1:{appId}: the variable names the loopback port instead of a host.
        await using var gw = await SpringDocExample.StartAsync("setrequesturi", ("{appId}.example.com", "127.0.0.1:{appId}"));

        using var r = await gw.Client.GetAsync($"/{backend.Port}/blue?x=1");
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal($"/{backend.Port}/blue", echo.Path);
        Assert.Equal("?x=1", echo.Query);
    }

    [Fact]
    public async Task SetRequestUri_NoOpRouteWithoutAUrl_Is503Problem()
    {
        await using var gw = await GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: noop
                      uri: no://op
                      predicates: [ "Path=/{appId}/**" ]
                      filters: [ "SetRequestUri=http://{missing}.invalid" ]
            """);
        using var r = await gw.Client.GetAsync("/a/b");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("no://op", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/some/object/name", "/v2/some/object/id", "/some/object/id")]
    [InlineData("/v1/some/object/name", "/v2/some/object/id", "/v2/some/object/id")]
    public async Task RewriteLocationResponseHeader_DocExample_HostAndVersionAsInRequest(string requestPath, string locationPath, string expectedPath)
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await SpringDocExample.StartAsync("rewritelocationresponseheader", ("http://example.org", backend.Url));

        var location = Uri.EscapeDataString($"Location:https://object-service.prod.example.net{locationPath}");
        using var r = await gw.Client.PostAsync($"{requestPath}?respHeader={location}", null);
        var gatewayHost = new Uri(gw.Url).Authority;
        Assert.Equal($"https://{gatewayHost}{expectedPath}", r.Headers.Location?.ToString());
    }

    [Fact]
    public async Task RewriteLocationResponseHeader_HostValueAndProtocols_AreHonoured()
    {
        await using var backend = await TestBackend.StartAsync("echo");
        await using var gw = await GatewayHost.StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: loc
                      uri: {{backend.Url}}
                      predicates: [ "Path=/**" ]
                      filters: [ "RewriteLocationResponseHeader=ALWAYS_STRIP, X-Where, api.example.com, https" ]
            """);
        var https = Uri.EscapeDataString("X-Where:https://internal:8443/v3/a");
        using var r = await gw.Client.GetAsync($"/v3/x?respHeader={https}");
        Assert.Equal("https://api.example.com/a", r.Headers.GetValues("X-Where").Single());
        var http = Uri.EscapeDataString("X-Where:http://internal:8080/v3/a");
        using var r2 = await gw.Client.GetAsync($"/v3/x?respHeader={http}");
        Assert.Equal("http://internal:8080/v3/a", r2.Headers.GetValues("X-Where").Single());
    }

    [Fact]
    public async Task RewriteLocationResponseHeader_UnknownMode_IsRefusedNamingTheArgument()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync("""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: loc
                      uri: http://127.0.0.1:9
                      filters: [ "RewriteLocationResponseHeader=SOMETIMES" ]
            """));
        Assert.Contains("stripVersion", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FallbackHeaders_DocExample_ForwardedFallbackGetsExceptionHeaders()
    {
        await using var fallback = await TestBackend.StartAsync("fallback");
        // lb://ingredients → a loopback port nothing listens on, so the circuit breaker sees a connection failure.
        await using var gw = await SpringDocExample.StartAsync("fallbackheaders",
            ("lb://ingredients", "http://127.0.0.1:9"), ("http://localhost:9994", fallback.Url));

        using var req = new HttpRequestMessage(HttpMethod.Get, new Uri(gw.Url + "//ingredients/flour"));
        using var r = await gw.Client.SendAsync(req);
        var echo = await EchoResponse.ReadAsync(r);
        Assert.Equal("fallback", echo.Backend);
        Assert.Equal("/fallback", echo.Path);
        Assert.False(string.IsNullOrEmpty(echo.Header("Test-Header")));
        Assert.False(string.IsNullOrEmpty(echo.Header("Execution-Exception-Message")));
        Assert.Null(echo.Header("Execution-Exception-Type"));
    }
}
