using System.Text.Json.Nodes;
using Platform.ApiServer.Client;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Gateway.GatewayApi;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task RegularExpressionPaths_MatchTheWholePath_AfterExactBeforePathPrefix()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        var (api, admin, gateway, _) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        await ServiceAsync(admin, "web", "v1", a.Port);
        await ServiceAsync(admin, "web", "v2", b.Port);
        await ServiceAsync(admin, "web", "v3", c.Port);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: regex}
            spec:
              parentRefs: [{name: web}]
              hostnames: [regex.example.com]
              rules:
              - matches: [{path: {type: RegularExpression, value: "/v[0-9]+/items/[a-z]+"}}]
                backendRefs: [{name: v1, port: 80}]
              - matches: [{path: {type: Exact, value: /v1/items/exact}}]
                backendRefs: [{name: v2, port: 80}]
              - matches:
                - path: {type: PathPrefix, value: /}
                  headers: [{type: RegularExpression, name: x-version, value: "v[0-9]"}]
                  queryParams: [{type: RegularExpression, name: tier, value: "gold|silver"}]
                backendRefs: [{name: v2, port: 80}]
              - backendRefs: [{name: v3, port: 80}]
            """);
        const string host = "regex.example.com";
        // Each Service's EndpointSlice reaches the gateway on its own: wait until all three backends are served.
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, host, "/v2/items/book") == "a"
            && await BackendAsync(gateway, host, "/v1/items/exact") == "b" && await BackendAsync(gateway, host, "/other") == "c",
            TimeSpan.FromSeconds(20), "the regex route served with its three backends");
        // The whole path must match: not a prefix, not a suffix.
        Assert.Equal("c", await BackendAsync(gateway, host, "/v2/items/book/more"));
        Assert.Equal("c", await BackendAsync(gateway, host, "/api/v2/items/book"));
        Assert.Equal("c", await BackendAsync(gateway, host, "/v2/items/Book1"));
        // Exact before RegularExpression; RegularExpression before a catch-all PathPrefix with more matches.
        Assert.Equal("b", await BackendAsync(gateway, host, "/v1/items/exact"));
        Assert.Equal("a", await BackendAsync(gateway, host, "/v1/items/pen?tier=gold", header: ("x-version", "v1")));
        // Header and query regular expressions match the whole value.
        Assert.Equal("b", await BackendAsync(gateway, host, "/other?tier=gold", header: ("x-version", "v7")));
        Assert.Equal("c", await BackendAsync(gateway, host, "/other?tier=golden", header: ("x-version", "v7")));
        Assert.Equal("c", await BackendAsync(gateway, host, "/other?tier=gold", header: ("x-version", "v77")));
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "regex"), o => o["status"]?["parents"]?[0]?["conditions"], "Accepted", "True", "the regex route Accepted");
        var accepted = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.HttpRoute.ObjectPath("web", "regex")))!["status"]!["parents"]![0]!["conditions"]!
            .AsArray().First(x => (string?)x!["type"] == "Accepted")!;
        Assert.DoesNotContain("not served", (string?)accepted["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidRegularExpression_ThatSlipsPastAdmission_IsNotServed_NorAccepted_AndNamesItsField()
    {
        var route = new HttpRoute
        {
            Metadata = new() { Name = "bad", Namespace = "web" },
            Spec = new()
            {
                Rules =
                [
                    new() { Matches = [new() { Path = new() { Type = "RegularExpression", Value = "/items/(unclosed" } }], BackendRefs = [new() { Name = "v1", Port = 80 }] },
                    new() { Matches = [new() { Headers = [new() { Type = "RegularExpression", Name = "x-a", Value = "[z-a]" }] }], BackendRefs = [new() { Name = "v1", Port = 80 }] },
                    new() { Timeouts = new() { Request = "ten seconds" }, BackendRefs = [new() { Name = "v1", Port = 80 }] },
                    new() { Matches = [new() { Path = new() { Type = "RegularExpression", Value = "/ok/.*" } }], BackendRefs = [new() { Name = "v1", Port = 80 }] },
                ],
            },
        };
        var (routes, _, invalid) = HttpRouteRoutes.For(route, [], [], b => new HttpRouteRoutes.Backend("lb://" + b.Name, "80", 1), _ => true, (_, _) => null);
        Assert.Equal(3, invalid.Count);
        Assert.StartsWith("spec.rules[0].matches[0].path.value: \"/items/(unclosed\" is not a valid regular expression", invalid[0]);
        Assert.StartsWith("spec.rules[1].matches[0].headers[0].value: \"[z-a]\" is not a valid regular expression", invalid[1]);
        Assert.StartsWith("spec.rules[2].timeouts.request: \"ten seconds\"", invalid[2]);
        var served = Assert.Single(routes);
        Assert.Equal("PathRegex", Assert.Single(served.Predicates).Name);

        // The route's status: not Accepted (UnsupportedValue), naming the fields.
        using var apiserver = new RecordingHandler();
        var status = new GatewayApiStatus(new ApiClient(new HttpClient(apiserver) { BaseAddress = new Uri("http://127.0.0.1:9/") }), new GatewayApiOptions(), TimeProvider.System);
        var parent = new RouteAttachment.Parent(new ParentReference { Name = "web" }, null, [], null, "");
        await status.WriteRouteAsync(route, [parent], [], [], invalid, CancellationToken.None);
        var accepted = JsonNode.Parse(Assert.Single(apiserver.Bodies))!["status"]!["parents"]![0]!["conditions"]!.AsArray()
            .First(x => (string?)x!["type"] == "Accepted")!;
        Assert.Equal("False", (string?)accepted["status"]);
        Assert.Equal("UnsupportedValue", (string?)accepted["reason"]);
        Assert.Contains("spec.rules[0].matches[0].path.value", (string?)accepted["message"], StringComparison.Ordinal);
    }

    /// <summary>An apiserver that accepts every request and keeps the bodies it was sent.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        }
    }
}
