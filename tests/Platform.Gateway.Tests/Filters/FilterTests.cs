using System.Net;
using System.Text;
using Platform.Gateway.Filters;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters;

/// <summary>Every built-in filter, through the real gateway to a real Kestrel upstream that echoes what it got.</summary>
public sealed class FilterTests(FilterTests.Host host) : IClassFixture<FilterTests.Host>
{
    public sealed class Host : IAsyncLifetime
    {
        public TestBackend Backend { get; private set; } = null!;
        public TestBackend Cached { get; private set; } = null!;
        public GatewayHost Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Backend = await TestBackend.StartAsync("echo");
            Cached = await TestBackend.StartAsync("cached");
            string R(string id, string filter, string? uri = null) => RouteYaml.Route(id, uri ?? Backend.Url, $"Path=/{id}/**", filter);
            Gateway = await GatewayHost.StartAsync($$"""
                spring:
                  cloud:
                    gateway:
                      routes:
                {{R("arh", "AddRequestHeader=X-Req, red")}}
                {{R("arhinp", "AddRequestHeadersIfNotPresent=X-A:1,X-B:2")}}
                {{R("arp", "AddRequestParameter=red, blue")}}
                {{R("aresph", "AddResponseHeader=X-Resp, blue")}}
                {{R("rrqh", "RemoveRequestHeader=X-Secret")}}
                {{R("rrsh", "RemoveResponseHeader=X-Backend")}}
                {{R("srqh", "SetRequestHeader=X-Set, new")}}
                {{R("srsh", "SetResponseHeader=X-Backend, replaced")}}
                {{R("rwrsh", "RewriteResponseHeader=X-Loc, password=[^&]+, password=***")}}
                {{R("dedupe", "DedupeResponseHeader=X-Dup X-Other, RETAIN_UNIQUE")}}
                {{R("maprh", "MapRequestHeader=Blue, X-Red")}}
                {{R("preserve", "PreserveHostHeader")}}
                {{R("strip", "StripPrefix=2")}}
                {{R("prefix", "PrefixPath=/mypath")}}
                {{R("rewrite", @"RewritePath=/rewrite/?(?<segment>.*), /$\{segment}")}}
                {{R("status", "SetStatus=I_AM_A_TEAPOT")}}
                {{R("redirect", "RedirectTo=302, https://acme.org")}}
                {{R("size", "RequestSize=10")}}
                {{R("hsize", "RequestHeaderSize=100B")}}
                {{R("secure", "SecureHeaders")}}
                {{R("cache", "LocalResponseCache=30s, 10KB", Cached.Url)}}
                        - id: tag
                          uri: {{Backend.Url}}
                          predicates: [ "Path=/tag/**" ]
                          filters:
                            - name: Tag
                              args:
                                value: from-config
                                upper: true
                """, configureServices: s => s.AddGatewayFilterFactory<TagGatewayFilterFactory>().AddGlobalFilter<StampGlobalFilter>());
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Backend.DisposeAsync();
            await Cached.DisposeAsync();
        }
    }

    private HttpClient Client => host.Gateway.Client;

    private async Task<(HttpResponseMessage Response, EchoResponse Echo)> SendAsync(string path, Action<HttpRequestMessage>? setup = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, path);
        setup?.Invoke(req);
        var response = await Client.SendAsync(req);
        return (response, await EchoResponse.ReadAsync(response));
    }

    [Fact]
    public async Task AddRequestHeader_ReachesUpstream()
    {
        var (_, echo) = await SendAsync("/arh/x");
        Assert.Equal("red", echo.Header("X-Req"));
    }

    [Fact]
    public async Task AddRequestHeadersIfNotPresent_KeepsClientValue()
    {
        var (_, echo) = await SendAsync("/arhinp/x", r => r.Headers.Add("X-A", "client"));
        Assert.Equal("client", echo.Header("X-A"));
        Assert.Equal("2", echo.Header("X-B"));
    }

    [Fact]
    public async Task AddRequestParameter_AppendsToQuery()
    {
        var (_, echo) = await SendAsync("/arp/x?a=1");
        Assert.Equal("?a=1&red=blue", echo.Query);
    }

    [Fact]
    public async Task AddResponseHeader_ReachesClient()
    {
        var (r, _) = await SendAsync("/aresph/x");
        Assert.Equal("blue", r.Headers.GetValues("X-Resp").Single());
    }

    [Fact]
    public async Task RemoveRequestHeader_HidesHeaderFromUpstream()
    {
        var (_, echo) = await SendAsync("/rrqh/x", r => r.Headers.Add("X-Secret", "s"));
        Assert.Null(echo.Header("X-Secret"));
    }

    [Fact]
    public async Task RemoveResponseHeader_HidesHeaderFromClient()
    {
        var (r, _) = await SendAsync("/rrsh/x");
        Assert.False(r.Headers.Contains("X-Backend"));
    }

    [Fact]
    public async Task SetRequestHeader_ReplacesClientValue()
    {
        var (_, echo) = await SendAsync("/srqh/x", r => r.Headers.Add("X-Set", "old"));
        Assert.Equal("new", echo.Header("X-Set"));
    }

    [Fact]
    public async Task SetResponseHeader_ReplacesUpstreamValue()
    {
        var (r, _) = await SendAsync("/srsh/x");
        Assert.Equal(["replaced"], r.Headers.GetValues("X-Backend"));
    }

    [Fact]
    public async Task RewriteResponseHeader_AppliesRegex()
    {
        var (r, _) = await SendAsync("/rwrsh/x?respHeader=" + Uri.EscapeDataString("X-Loc:/a?password=abc&user=u"));
        Assert.Equal("/a?password=***&user=u", r.Headers.GetValues("X-Loc").Single());
    }

    [Fact]
    public async Task DedupeResponseHeader_RetainUnique()
    {
        var (r, _) = await SendAsync("/dedupe/x?respHeader=X-Dup:a&respHeader=X-Dup:a&respHeader=X-Dup:b");
        Assert.Equal(["a", "b"], r.Headers.GetValues("X-Dup"));
    }

    [Fact]
    public async Task MapRequestHeader_CopiesValue()
    {
        var (_, echo) = await SendAsync("/maprh/x", r => r.Headers.Add("Blue", "sky"));
        Assert.Equal("sky", echo.Header("X-Red"));
        Assert.Equal("sky", echo.Header("Blue"));
    }

    [Fact]
    public async Task PreserveHostHeader_UpstreamSeesClientHost()
    {
        var (_, preserved) = await SendAsync("/preserve/x", r => r.Headers.Host = "client.example");
        Assert.Equal("client.example", preserved.Header("Host"));
        var (_, plain) = await SendAsync("/arh/x", r => r.Headers.Host = "client.example");
        Assert.Equal($"127.0.0.1:{host.Backend.Port}", plain.Header("Host"));
    }

    [Fact]
    public async Task StripPrefix_RemovesLeadingSegments()
    {
        var (_, echo) = await SendAsync("/strip/one/two/three");
        Assert.Equal("/two/three", echo.Path);
    }

    [Fact]
    public async Task PrefixPath_PrependsPrefix()
    {
        var (_, echo) = await SendAsync("/prefix/hello");
        Assert.Equal("/mypath/prefix/hello", echo.Path);
    }

    [Fact]
    public async Task RewritePath_UsesNamedGroup()
    {
        var (_, echo) = await SendAsync("/rewrite/a/b?x=1");
        Assert.Equal("/a/b", echo.Path);
        Assert.Equal("?x=1", echo.Query);
    }

    [Fact]
    public async Task SetStatus_OverridesUpstreamStatus()
    {
        using var r = await Client.GetAsync("/status/x");
        Assert.Equal(418, (int)r.StatusCode);
    }

    [Fact]
    public async Task RedirectTo_AnswersWithoutUpstream()
    {
        var before = host.Backend.Hits;
        using var r = await Client.GetAsync("/redirect/x");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("https://acme.org", r.Headers.Location!.OriginalString);
        Assert.Equal(before, host.Backend.Hits);
    }

    [Fact]
    public async Task RequestSize_LargerBodyGets413()
    {
        using var big = await Client.PostAsync("/size/x", new StringContent(new string('x', 20)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("permissible limit is 10", big.Headers.GetValues("errorMessage").Single(), StringComparison.Ordinal);
        using var small = await Client.PostAsync("/size/x", new StringContent("tiny"));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Fact]
    public async Task RequestHeaderSize_LargeHeaderGets431()
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "/hsize/x");
        req.Headers.Add("X-Big", new string('y', 200));
        using var r = await Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, r.StatusCode);
        using var ok = await Client.GetAsync("/hsize/x");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task SecureHeaders_AddsSecurityHeaders()
    {
        using var r = await Client.GetAsync("/secure/x");
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("max-age=631138519", r.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task LocalResponseCache_SecondGetServedFromCache()
    {
        var path = "/cache/item-" + Guid.NewGuid().ToString("N");
        using var first = await Client.GetAsync(path);
        var hits = host.Cached.Hits;
        using var second = await Client.GetAsync(path);
        Assert.Equal(hits, host.Cached.Hits);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.StartsWith("max-age=", second.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomFilterFactory_BindsItsConfigClass()
    {
        var (_, echo) = await SendAsync("/tag/x");
        Assert.Equal("FROM-CONFIG", echo.Header("X-Tag"));
    }

    [Fact]
    public async Task GlobalFilter_RunsAroundEveryRoute()
    {
        var (r1, e1) = await SendAsync("/arh/x");
        var (r2, e2) = await SendAsync("/strip/a/b");
        Assert.Equal("stamped", e1.Header("X-Stamp"));
        Assert.Equal("stamped", e2.Header("X-Stamp"));
        r1.Dispose();
        r2.Dispose();
    }
}
