using System.Net;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task Matches_Filters_AndACrossNamespaceBackend_RefusedUntilAReferenceGrant()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        await using var c = await TestBackend.StartAsync("c");
        var (api, admin, gateway, gc) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        await ServiceAsync(admin, "web", "v1", a.Port);
        await ServiceAsync(admin, "web", "v2", b.Port);
        await ServiceAsync(admin, "shared", "common", c.Port);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: matches}
            spec:
              parentRefs: [{name: web, sectionName: http}]
              hostnames: [match.example.com]
              rules:
              - matches: [{path: {type: Exact, value: /exact}}]
                backendRefs: [{name: v2, port: 80}]
              - matches:
                - headers: [{name: x-canary, value: "yes"}]
                - queryParams: [{type: RegularExpression, name: v, value: "2|two"}]
                - {method: POST, path: {type: PathPrefix, value: /orders}}
                backendRefs: [{name: v2, port: 80}]
              - backendRefs: [{name: v1, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /old}}]
                filters:
                - type: RequestRedirect
                  requestRedirect: {hostname: new.example.com, statusCode: 302, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
              - matches: [{path: {type: PathPrefix, value: /api}}]
                filters:
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}}
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-env, value: prod}], add: [{name: x-added, value: "1"}], remove: [x-debug]}
                - type: ResponseHeaderModifier
                  responseHeaderModifier: {add: [{name: x-served-by, value: platform}]}
                - type: RequestMirror
                  requestMirror: {backendRef: {name: v2, port: 80}}
                backendRefs: [{name: v1, port: 80}]
            """);
        const string host = "match.example.com";
        // Each Service's EndpointSlice reaches the gateway on its own: wait until both backends are served.
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, host, "/anything") == "a" && await BackendAsync(gateway, host, "/exact") == "b",
            TimeSpan.FromSeconds(20), "the match route served with both backends");
        Assert.Equal("b", await BackendAsync(gateway, host, "/exact"));
        Assert.Equal("a", await BackendAsync(gateway, host, "/exact/more"));
        Assert.Equal("b", await BackendAsync(gateway, host, "/x", header: ("x-canary", "yes")));
        Assert.Equal("a", await BackendAsync(gateway, host, "/x", header: ("x-canary", "no")));
        Assert.Equal("b", await BackendAsync(gateway, host, "/x?v=two"));
        Assert.Equal("a", await BackendAsync(gateway, host, "/x?v=3"));
        Assert.Equal("b", await BackendAsync(gateway, host, "/orders/1", HttpMethod.Post));
        Assert.Equal("a", await BackendAsync(gateway, host, "/orders/1"));
        Assert.Equal("status 404", await BackendAsync(gateway, "other.example.com", "/exact"));

        using (var redirect = await SendAsync(gateway, host, "/old/page?q=1"))
        {
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
            Assert.Equal("http://new.example.com/new/page?q=1", redirect.Headers.Location?.ToString());
        }
        var mirroredBefore = b.Hits;
        using (var rewritten = await SendAsync(gateway, host, "/api/items", header: ("x-debug", "1")))
        {
            Assert.Equal(HttpStatusCode.OK, rewritten.StatusCode);
            var echo = await EchoResponse.ReadAsync(rewritten);
            Assert.Equal("a", echo.Backend);
            Assert.Equal("/v2/items", echo.Path);
            Assert.Equal("prod", echo.Header("x-env"));
            Assert.Equal("1", echo.Header("x-added"));
            Assert.Null(echo.Header("x-debug"));
            Assert.Equal("platform", rewritten.Headers.GetValues("x-served-by").Single());
        }
        // The mirror got a copy (its answer dropped).
        await Eventually.WaitAsync(() => Task.FromResult(b.Hits == mirroredBefore + 1), TimeSpan.FromSeconds(10), "the mirrored copy at v2");

        // Another namespace's Service: refused (RefNotPermitted, its requests answered 500) until a ReferenceGrant there allows it.
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: cross}
            spec:
              parentRefs: [{name: web}]
              hostnames: [cross.example.com]
              rules:
              - backendRefs: [{name: common, namespace: shared, port: 80}]
            """);
        var refused = await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "cross"), o => o["status"]?["parents"]?[0]?["conditions"],
            "ResolvedRefs", "False", "ResolvedRefs=False on the cross-namespace route");
        Assert.Equal("RefNotPermitted", (string?)refused["reason"]);
        Assert.Equal("status 500", await BackendAsync(gateway, "cross.example.com", "/"));
        await ApplyAsync(admin, ResourceKinds.ReferenceGrant.CollectionPath("shared"), """
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: from-web}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: web}]
              to: [{group: "", kind: Service, name: common}]
            """);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "cross.example.com", "/") == "c", TimeSpan.FromSeconds(20), "the granted backend");
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "cross"), o => o["status"]?["parents"]?[0]?["conditions"], "ResolvedRefs", "True", "ResolvedRefs=True once granted");

        // A route in another namespace is not allowed by a from: Same listener; a missing Service is BackendNotFound.
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("shared"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: outsider}
            spec:
              parentRefs: [{name: web, namespace: web}]
              rules: [{backendRefs: [{name: common, port: 80}]}]
            """);
        var notAllowed = await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("shared", "outsider"), o => o["status"]?["parents"]?[0]?["conditions"],
            "Accepted", "False", "Accepted=False on the other namespace's route");
        Assert.Equal("NotAllowedByListeners", (string?)notAllowed["reason"]);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: missing}
            spec:
              parentRefs: [{name: web}, {name: nowhere}]
              rules: [{backendRefs: [{name: ghost, port: 80}]}]
            """);
        var missing = await Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.HttpRoute.ObjectPath("web", "missing")))!;
            return o["status"]?["parents"] is JsonArray { Count: 2 } parents ? parents : null;
        }, TimeSpan.FromSeconds(20), "both parents reported");
        JsonNode? Of(string parent, string type) => missing.First(p => (string?)p!["parentRef"]!["name"] == parent)!["conditions"]!.AsArray().First(x => (string?)x!["type"] == type);
        Assert.Equal("BackendNotFound", (string?)Of("web", "ResolvedRefs")!["reason"]);
        Assert.Equal("NoMatchingParent", (string?)Of("nowhere", "Accepted")!["reason"]);
        Assert.Equal(Controller, (string?)missing[0]!["controllerName"]);

        var cls = await ConditionAsync(admin, ResourceKinds.GatewayClass.ObjectPath(null, gc), o => o["status"]?["conditions"], "Accepted", "True", "GatewayClass Accepted");
        Assert.Equal("Accepted", (string?)cls["reason"]);
        // matches, cross and missing are attached to the listener; outsider is not.
        await Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", "web")))!;
            return (int?)o["status"]?["listeners"]?[0]?["attachedRoutes"] == 3;
        }, TimeSpan.FromSeconds(20), "attachedRoutes 3");
    }
}
