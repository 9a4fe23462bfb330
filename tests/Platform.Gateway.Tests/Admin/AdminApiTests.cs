using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Gateway.Tests.Infrastructure;

namespace Platform.Gateway.Tests.Admin;

public sealed class AdminApiTests
{
    private const string EmptyYaml = "spring:\n  cloud:\n    gateway:\n      routes: []\n";

    private static HttpRequestMessage Admin(HttpMethod method, string path, object? body = null, string token = GatewayHost.AdminToken)
    {
        var req = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return req;
    }

    [Fact]
    public async Task Routes_WithoutOrWithWrongToken_Are401WithProblemDetails()
    {
        await using var gw = await GatewayHost.StartAsync(EmptyYaml);
        using var none = await gw.Client.GetAsync("/actuator/gateway/routes");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(none.Headers.WwwAuthenticate);
        using var wrong = await gw.Client.SendAsync(Admin(HttpMethod.Get, "/actuator/gateway/routes", token: "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task PostedRoute_ServesImmediately_ListedThenDeleted()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var gw = await GatewayHost.StartAsync(EmptyYaml);

        using var created = await gw.Client.SendAsync(Admin(HttpMethod.Post, "/actuator/gateway/routes/dyn", new
        {
            uri = backend.Url,
            predicates = new object[] { new { name = "Path", args = new { patterns = "/dyn/**" } } },
            filters = new object[] { "AddRequestHeader=X-Dyn, yes" },
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var echo = await EchoResponse.ReadAsync(await gw.Client.GetAsync("/dyn/a"));
        Assert.Equal("yes", echo.Header("X-Dyn"));

        using var list = await gw.Client.SendAsync(Admin(HttpMethod.Get, "/actuator/gateway/routes"));
        var routes = await list.Content.ReadFromJsonAsync<JsonElement>();
        var route = routes.EnumerateArray().Single(r => r.GetProperty("route_id").GetString() == "dyn");
        Assert.Equal("Path(patterns=/dyn/**)", route.GetProperty("predicate").GetString());

        using var deleted = await gw.Client.SendAsync(Admin(HttpMethod.Delete, "/actuator/gateway/routes/dyn"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gw.Client.GetAsync("/dyn/a")).StatusCode);
    }

    [Fact]
    public async Task PostedBadRoute_Is400NamingRouteAndArgument()
    {
        await using var gw = await GatewayHost.StartAsync(EmptyYaml);
        using var r = await gw.Client.SendAsync(Admin(HttpMethod.Post, "/actuator/gateway/routes/bad", new
        {
            uri = "http://127.0.0.1:1",
            predicates = new object[] { "Path=/bad/**" },
            filters = new object[] { "RequestRateLimiter=zero" },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("route 'bad': filter RequestRateLimiter argument 'replenishRate'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FactoryListings_NameEveryPredicateAndFilter()
    {
        await using var gw = await GatewayHost.StartAsync(EmptyYaml);
        var predicates = await (await gw.Client.SendAsync(Admin(HttpMethod.Get, "/actuator/gateway/routepredicates"))).Content.ReadFromJsonAsync<Dictionary<string, string[]>>();
        Assert.Equal(["After", "Before", "Between", "Cookie", "Header", "Host", "Method", "Path", "PathRegex", "Query", "RemoteAddr", "Weight", "XForwardedRemoteAddr"],
            predicates!.Keys.Order(StringComparer.Ordinal));
        var filters = await (await gw.Client.SendAsync(Admin(HttpMethod.Get, "/actuator/gateway/routefilters"))).Content.ReadFromJsonAsync<Dictionary<string, string[]>>();
        Assert.Contains("CircuitBreaker", filters!.Keys);
        Assert.Contains("CustomFilter", filters.Keys);
        Assert.Equal(["name", "value"], filters["AddRequestHeader"]);
        var globals = await (await gw.Client.SendAsync(Admin(HttpMethod.Get, "/actuator/gateway/globalfilters"))).Content.ReadFromJsonAsync<Dictionary<string, int>>();
        Assert.Contains(globals!, g => g.Key.EndsWith("RouteMetricsFilter", StringComparison.Ordinal));
        using var refresh = await gw.Client.SendAsync(Admin(HttpMethod.Post, "/actuator/gateway/refresh"));
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}
