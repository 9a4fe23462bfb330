using System.Net;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Predicates;

/// <summary>Every predicate, through the real gateway to a real Kestrel upstream: a match reaches the upstream, a miss is 404.</summary>
public sealed class PredicateTests(PredicateTests.Host host) : IClassFixture<PredicateTests.Host>
{
    public sealed class Host : IAsyncLifetime
    {
        public TestBackend A { get; private set; } = null!;
        public TestBackend B { get; private set; } = null!;
        public GatewayHost Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            A = await TestBackend.StartAsync("a");
            B = await TestBackend.StartAsync("b");
            Gateway = await GatewayHost.StartAsync($$"""
                spring:
                  cloud:
                    gateway:
                      routes:
                        - id: path-var
                          uri: {{A.Url}}
                          predicates: [ "Path=/p/{segment},/q/{segment}/**" ]
                          filters: [ "SetPath=/got/{segment}" ]
                        - id: path-regex
                          uri: {{A.Url}}
                          predicates: [ "PathRegex=/rx/v[0-9]+/[a-z]+" ]
                        - id: host
                          uri: {{A.Url}}
                          predicates: [ "Path=/host/**", "Host={sub}.example.org,**.example.net" ]
                          filters: [ "AddRequestHeader=X-Sub, {sub}" ]
                        - id: method
                          uri: {{A.Url}}
                          predicates: [ "Path=/method/**", "Method=POST,PUT" ]
                        - id: header
                          uri: {{A.Url}}
                          predicates: [ "Path=/header/**", "Header=X-Request-Id, \\d+" ]
                        - id: query
                          uri: {{A.Url}}
                          predicates: [ "Path=/query/**", "Query=color, gree." ]
                        - id: query-any
                          uri: {{A.Url}}
                          predicates: [ "Path=/query-any/**", "Query=flag" ]
                        - id: cookie
                          uri: {{A.Url}}
                          predicates: [ "Path=/cookie/**", "Cookie=flavor, ch.p" ]
                        - id: after
                          uri: {{A.Url}}
                          predicates: [ "Path=/after/**", "After=2017-01-20T17:42:47.789-07:00[America/Denver]" ]
                        - id: after-future
                          uri: {{A.Url}}
                          predicates: [ "Path=/after-future/**", "After=2999-01-20T17:42:47.789-07:00[America/Denver]" ]
                        - id: before
                          uri: {{A.Url}}
                          predicates: [ "Path=/before/**", "Before=2999-01-20T17:42:47.789-07:00[America/Denver]" ]
                        - id: before-past
                          uri: {{A.Url}}
                          predicates: [ "Path=/before-past/**", "Before=2017-01-20T17:42:47.789-07:00[America/Denver]" ]
                        - id: between
                          uri: {{A.Url}}
                          predicates: [ "Path=/between/**", "Between=2017-01-20T17:42:47.789-07:00[America/Denver], 2999-01-21T17:42:47.789-07:00[America/Denver]" ]
                        - id: remote
                          uri: {{A.Url}}
                          predicates: [ "Path=/remote/**", "RemoteAddr=127.0.0.1/8" ]
                        - id: remote-other
                          uri: {{A.Url}}
                          predicates: [ "Path=/remote-other/**", "RemoteAddr=10.0.0.0/8,192.168.0.1" ]
                        - id: xff
                          uri: {{A.Url}}
                          predicates: [ "Path=/xff/**", "XForwardedRemoteAddr=192.168.1.0/24" ]
                        - id: weight-high
                          uri: {{A.Url}}
                          predicates: [ "Path=/weight/**", "Weight=group1, 8" ]
                        - id: weight-low
                          uri: {{B.Url}}
                          predicates: [ "Path=/weight/**", "Weight=group1, 2" ]
                        - id: late
                          uri: {{A.Url}}
                          predicates: [ "Path=/ordered/**" ]
                        - id: early
                          uri: {{B.Url}}
                          order: -1
                          predicates:
                            - name: Path
                              args:
                                patterns: /ordered/**
                """);
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    private HttpClient Client => host.Gateway.Client;

    private async Task<HttpStatusCode> StatusAsync(HttpRequestMessage request)
    {
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    [Fact]
    public async Task Path_SegmentVariable_IsCapturedAndUsedBySetPath()
    {
        var echo = await EchoResponse.ReadAsync(await Client.GetAsync("/p/abc"));
        Assert.Equal("/got/abc", echo.Path);
        Assert.Equal("/got/xyz", (await EchoResponse.ReadAsync(await Client.GetAsync("/q/xyz/deeper/still"))).Path);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/p/abc/too-deep")));
    }

    [Fact]
    public async Task PathRegex_MatchesTheWholePathOnly()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/rx/v12/items")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/rx/v12/items/more")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/x/rx/v1/items")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/rx/vX/items")));
    }

    [Fact]
    public async Task Host_PatternWithVariable_MatchesAndCaptures()
    {
        var req = Get("/host/x");
        req.Headers.Host = "red.example.org";
        using var ok = await Client.SendAsync(req);
        Assert.Equal("red", (await EchoResponse.ReadAsync(ok)).Header("X-Sub"));
        var wildcard = Get("/host/x");
        wildcard.Headers.Host = "a.b.example.net";
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(wildcard));
        var other = Get("/host/x");
        other.Headers.Host = "red.example.com";
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(other));
    }

    [Fact]
    public async Task Method_OnlyListedMethodsMatch()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new HttpRequestMessage(HttpMethod.Post, "/method/x") { Content = new StringContent("x") }));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new HttpRequestMessage(HttpMethod.Put, "/method/x") { Content = new StringContent("x") }));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/method/x")));
    }

    [Fact]
    public async Task Header_ValueMustMatchRegex()
    {
        var ok = Get("/header/x");
        ok.Headers.Add("X-Request-Id", "123");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ok));
        var bad = Get("/header/x");
        bad.Headers.Add("X-Request-Id", "abc");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(bad));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/header/x")));
    }

    [Fact]
    public async Task Query_ParamAndOptionalRegex()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/query/x?color=green")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/query/x?color=red")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/query-any/x?flag=anything")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/query-any/x")));
    }

    [Fact]
    public async Task Cookie_ValueMustMatchRegex()
    {
        var ok = Get("/cookie/x");
        ok.Headers.Add("Cookie", "flavor=chip; other=1");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ok));
        var bad = Get("/cookie/x");
        bad.Headers.Add("Cookie", "flavor=vanilla");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(bad));
    }

    [Fact]
    public async Task AfterBeforeBetween_CompareWithNow()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/after/x")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/after-future/x")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/before/x")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/before-past/x")));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/between/x")));
    }

    [Fact]
    public async Task RemoteAddr_MatchesPeerAddressRange()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(Get("/remote/x")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/remote-other/x")));
    }

    [Fact]
    public async Task XForwardedRemoteAddr_UsesRightmostForwardedAddress()
    {
        var ok = Get("/xff/x");
        ok.Headers.Add("X-Forwarded-For", "10.9.9.9, 192.168.1.7");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(ok));
        var spoofed = Get("/xff/x");
        spoofed.Headers.Add("X-Forwarded-For", "192.168.1.7, 10.9.9.9");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(spoofed));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Get("/xff/x")));
    }

    [Fact]
    public async Task Weight_SplitsTrafficByWeight()
    {
        var counts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        for (var i = 0; i < 200; i++)
        {
            using var r = await Client.GetAsync("/weight/x");
            counts[r.Headers.GetValues("X-Backend").Single()]++;
        }
        // 8:2 over 200 draws: expect ~160/40; the bounds are > 6 standard deviations wide.
        Assert.InRange(counts["a"], 125, 195);
        Assert.InRange(counts["b"], 5, 75);
    }

    [Fact]
    public async Task Order_LowerOrderWinsOverEarlierRoute()
    {
        using var r = await Client.GetAsync("/ordered/x");
        Assert.Equal("b", r.Headers.GetValues("X-Backend").Single());
    }
}
