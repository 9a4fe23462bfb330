using System.Diagnostics;
using System.Net;
using Platform.ApiServer.Tests.Kubectl;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task RuleTimeouts_EndASlowRequestOrBackendAttempt_With504()
    {
        await using var slow = await TestBackend.StartAsync("slow");
        var (api, admin, gateway, _) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        await ServiceAsync(admin, "web", "slow", slow.Port);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: timeouts}
            spec:
              parentRefs: [{name: web}]
              hostnames: [slow.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /request}}]
                timeouts: {request: 1s, backendRequest: 0s}
                backendRefs: [{name: slow, port: 80}]
              - matches: [{path: {type: Exact, value: /backend}}]
                timeouts: {request: 20s, backendRequest: 500ms}
                backendRefs: [{name: slow, port: 80}]
            """);
        const string host = "slow.example.com";
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, host, "/request?delayMs=10") == "slow", TimeSpan.FromSeconds(20), "the timeouts route served");
        Assert.Equal("slow", await BackendAsync(gateway, host, "/backend?delayMs=100"));

        // Only the request timeout is on for /request (backendRequest: 0s turns the attempt's off).
        await AssertTimesOutAsync("/request?delayMs=4000", TimeSpan.FromSeconds(1), "Request took longer than timeout: PT1S");
        await AssertTimesOutAsync("/backend?delayMs=4000", TimeSpan.FromMilliseconds(500), "Response took longer than timeout: PT0.5S");

        async Task AssertTimesOutAsync(string path, TimeSpan timeout, string detail)
        {
            var watch = Stopwatch.StartNew();
            using var response = await SendAsync(gateway, host, path);
            var elapsed = watch.Elapsed;
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.InRange(elapsed, timeout - TimeSpan.FromMilliseconds(50), timeout + TimeSpan.FromSeconds(2));
        }
    }

    [Fact]
    public async Task Kubectl_ShowsTheStatusTheGatewayWrote()
    {
        await using var a = await TestBackend.StartAsync("a");
        using var kubectl = new KubectlSession();
        var (api, admin, gateway, gc) = await StartAsync(kubectl);
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        kubectl.WriteKubeconfig(api.BaseAddress, api.AdminToken, "web");
        await ServiceAsync(admin, "web", "shop", a.Port);
        await kubectl.OkAsync("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop}
            spec:
              parentRefs: [{name: web}]
              hostnames: [shop.example.com]
              rules:
              - backendRefs: [{name: shop, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /ghost}}]
                backendRefs: [{name: ghost, port: 80}]
            """, "apply", "-f", "-");
        var yaml = await Eventually.WaitAsync(async () =>
        {
            var text = await kubectl.OkAsync(null, "get", "httproute", "shop", "-o", "yaml");
            return text.Contains("reason: BackendNotFound", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "the gateway's status in kubectl get -o yaml");
        Assert.Contains("controllerName: platform.io/gateway-controller", yaml, StringComparison.Ordinal);
        // kubectl prints the gateway's entry: conditions (keys sorted), controllerName, parentRef.
        Assert.Matches(@"(?s)status:\n  parents:\n  - conditions:.*reason: Accepted.*type: Accepted.*reason: BackendNotFound.*type: ResolvedRefs\n"
            + @"    controllerName: platform\.io/gateway-controller\n    parentRef:\n      group: gateway\.networking\.k8s\.io\n      kind: Gateway\n      name: web\n", yaml);
        Assert.Equal("Accepted=True ResolvedRefs=False", await kubectl.OkAsync(null, "get", "httproute", "shop", "-o",
            """jsonpath={range .status.parents[0].conditions[*]}{.type}={.status}{" "}{end}""").ContinueWith(t => t.Result.Trim()));
        // The route's status can precede the shop Service's endpoints in the gateway's snapshot: 503 until they arrive.
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "shop.example.com", "/") == "a", TimeSpan.FromSeconds(20), "shop served by a");

        // The Gateway's printer columns (NAME CLASS ADDRESS PROGRAMMED AGE) and the listener's attached routes, as the gateway wrote them.
        var gateways = await Eventually.WaitAsync(async () =>
        {
            var text = await kubectl.OkAsync(null, "get", "gateway");
            return text.Contains("True", StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(20), "PROGRAMMED True in kubectl get gateway");
        Assert.Matches(@"^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\n", gateways);
        Assert.Matches($@"(?m)^web\s+{gc}\s+127\.0\.0\.1\s+True\s+\S+$", gateways);
        await Eventually.WaitAsync(async () => await kubectl.OkAsync(null, "get", "gateway", "web", "-o",
            "jsonpath={.status.listeners[0].name}:{.status.listeners[0].attachedRoutes}") == "http:1", TimeSpan.FromSeconds(20), "attachedRoutes 1");
    }
}
