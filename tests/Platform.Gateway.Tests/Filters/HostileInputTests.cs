using System.Net;
using System.Text.Json;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Filters;

/// <summary>
/// Requests whose path feeds a header template or a slow regex. Before, a CR/LF or non-ASCII path variable in a
/// header filter was a 500 that broke the keep-alive connection, and a regex timeout a 500 after burning CPU.
/// Now: 400 ProblemDetails naming the header or the limit, a timed-out predicate simply does not match, and the
/// same connection keeps working.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.Host host) : IClassFixture<HostileInputTests.Host>
{
    /// <summary>Forty x's and no y: (x+x+)+y backtracks exponentially on it.</summary>
    private const string Redos = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

    public sealed class Host : IAsyncLifetime
    {
        public TestBackend Backend { get; private set; } = null!;
        public GatewayHost Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Backend = await TestBackend.StartAsync("echo");
            string R(string id, string predicate, string filter) => RouteYaml.Route(id, Backend.Url, predicate, filter);
            Gateway = await GatewayHost.StartAsync($$"""
                spring:
                  cloud:
                    gateway:
                      routes:
                {{R("setreq", "Path=/setreq/{segment}", "SetRequestHeader=X-Name, {segment}")}}
                {{R("addreq", "Path=/addreq/{segment}", "AddRequestHeader=X-Name, n-{segment}")}}
                {{R("addresp", "Path=/addresp/{segment}", "AddResponseHeader=X-Name, {segment}")}}
                {{R("setresp", "Path=/setresp/{segment}", "SetResponseHeader=X-Name, {segment}")}}
                {{R("slowpath", "Path=/slow/{v:(x+x+)+y}", "SetResponseHeader=X-Route, slowpath")}}
                {{R("slowheader", "Header=X-Id, (x+x+)+y", "SetResponseHeader=X-Route, slowheader")}}
                {{R("slowfallback", "Path=/slow/**", "SetResponseHeader=X-Route, slowfallback")}}
                {{R("rewrite", "Path=/rewrite/**", "RewritePath=/rewrite/(x+x+)+y, /done")}}
                """, new Dictionary<string, string?> { ["Gateway:RegexTimeout"] = "00:00:00.020" });
        }

        public async Task DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Backend.DisposeAsync();
        }
    }

    /// <summary>One connection only, so a broken response would break the request after it.</summary>
    private static HttpClient KeepAliveClient(GatewayHost gateway) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1, AllowAutoRedirect = false }) { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<JsonElement> BadRequestAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    [Theory]
    [InlineData("/setreq/a%0D%0AX-Injected:%20yes", "CR or LF")]
    [InlineData("/addreq/a%0Ab", "CR or LF")]
    [InlineData("/addresp/a%0D%0ASet-Cookie:%20x=1", "CR or LF")]
    [InlineData("/setresp/a%07b", "control character U+0007")]
    [InlineData("/setreq/caf%C3%A9", "non-ASCII character U+00E9")]
    [InlineData("/addresp/%E2%98%83", "non-ASCII character U+2603")]
    public async Task HeaderTemplate_WithInvalidPathVariable_Is400NamingTheHeader_AndConnectionSurvives(string path, string reason)
    {
        using var client = KeepAliveClient(host.Gateway);
        var hitsBefore = host.Backend.Hits;

        using (var response = await client.GetAsync(path))
        {
            var problem = await BadRequestAsync(response);
            Assert.Equal("X-Name", problem.GetProperty("header").GetString());
            Assert.StartsWith("header X-Name:", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("X-Injected") || response.Headers.Contains("Set-Cookie"));
        }
        Assert.Equal(hitsBefore, host.Backend.Hits);

        using var next = await client.GetAsync(path[..(path.LastIndexOf('/') + 1)] + "plain");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task HeaderTemplate_WithPlainPathVariable_StillExpands()
    {
        using var client = KeepAliveClient(host.Gateway);
        using var request = await client.GetAsync("/addreq/blue");
        Assert.Equal("n-blue", (await EchoResponse.ReadAsync(request)).Header("X-Name"));
        using var response = await client.GetAsync("/addresp/blue");
        Assert.Equal("blue", response.Headers.GetValues("X-Name").Single());
    }

    [Fact]
    public async Task PredicateRegexTimeout_IsNoMatch_NextRouteServes_LoggedOnce()
    {
        using var client = KeepAliveClient(host.Gateway);
        for (var i = 0; i < 3; i++)
        {
            using var path = await client.GetAsync("/slow/" + Redos);
            Assert.Equal(HttpStatusCode.OK, path.StatusCode);
            Assert.Equal("slowfallback", path.Headers.GetValues("X-Route").Single());
            using var header = new HttpRequestMessage(HttpMethod.Get, "/slow/other");
            header.Headers.Add("X-Id", Redos);
            using var byHeader = await client.SendAsync(header);
            Assert.Equal("slowfallback", byHeader.Headers.GetValues("X-Route").Single());
        }
        Assert.Single(host.Gateway.Logs.Lines, l => l.StartsWith("route slowpath: a predicate regex timed out", StringComparison.Ordinal));
        Assert.Single(host.Gateway.Logs.Lines, l => l.StartsWith("route slowheader: a predicate regex timed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RewritePathRegexTimeout_Is400NamingTheLimit_LoggedOnce()
    {
        using var client = KeepAliveClient(host.Gateway);
        var hitsBefore = host.Backend.Hits;
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync("/rewrite/" + Redos);
            var problem = await BadRequestAsync(response);
            Assert.Equal("Gateway:RegexTimeout", problem.GetProperty("limit").GetString());
            Assert.StartsWith("path: a filter regex of route rewrite timed out", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(hitsBefore, host.Backend.Hits);
        Assert.Single(host.Gateway.Logs.Lines, l => l.StartsWith("route rewrite: a filter regex timed out", StringComparison.Ordinal));

        using var ok = await client.GetAsync("/rewrite/xxy");
        Assert.Equal("/done", (await EchoResponse.ReadAsync(ok)).Path);
    }
}
