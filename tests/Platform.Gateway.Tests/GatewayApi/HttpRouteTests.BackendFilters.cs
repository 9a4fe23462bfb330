using System.Net;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    /// <summary>Sends requests until each of <paramref name="backends"/> answered one, and returns one answer of each.</summary>
    private static async Task<Dictionary<string, (EchoResponse Echo, HttpResponseMessage Response)>> OneOfEachAsync(GatewayHost gateway,
        string host, params string[] backends)
    {
        var seen = new Dictionary<string, (EchoResponse, HttpResponseMessage)>(StringComparer.Ordinal);
        await Eventually.WaitAsync(async () =>
        {
            var response = await SendAsync(gateway, host, "/item");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                response.Dispose();
                return false;
            }
            var echo = await EchoResponse.ReadAsync(response);
            if (backends.Contains(echo.Backend) && !seen.ContainsKey(echo.Backend)) seen[echo.Backend] = (echo, response);
            else response.Dispose();
            return seen.Count == backends.Length;
        }, TimeSpan.FromSeconds(20), $"each of {string.Join(", ", backends)} answered");
        return seen;
    }

    /// <summary>The apiserver and the gateway, with the Services <c>web/shop-v1</c> and <c>web/shop-v2</c> on backends a and b.</summary>
    private async Task<TwoShops> StartWithTwoShopsAsync()
    {
        var a = await TestBackend.StartAsync("a");
        var b = await TestBackend.StartAsync("b");
        var (api, admin, gateway, _) = await StartAsync();
        await ServiceAsync(admin, "web", "shop-v1", a.Port);
        await ServiceAsync(admin, "web", "shop-v2", b.Port);
        return new TwoShops(a, b, new ShopSetup(a, api, admin, gateway));
    }

    private sealed record TwoShops(TestBackend A, TestBackend B, ShopSetup Setup) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Setup.DisposeAsync();
            await B.DisposeAsync();
        }
    }

    [Fact]
    public async Task BackendRefFilters_ApplyOnlyToRequestsSentToTheirBackend_AfterTheRulesFilters()
    {
        await using var shops = await StartWithTwoShopsAsync();
        var (_, _, admin, gateway) = shops.Setup;
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: canary}
            spec:
              parentRefs: [{name: web}]
              hostnames: [canary.example.com]
              rules:
              - filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-step, value: rule}]}
                backendRefs:
                - name: shop-v1
                  port: 80
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier: {set: [{name: x-step, value: v1}, {name: x-track, value: stable}]}
                  - type: ResponseHeaderModifier
                    responseHeaderModifier: {add: [{name: x-served-by, value: v1}]}
                - name: shop-v2
                  port: 80
                  filters:
                  - type: RequestHeaderModifier
                    requestHeaderModifier: {set: [{name: x-track, value: canary}]}
            """);

        var answers = await OneOfEachAsync(gateway, "canary.example.com", "a", "b");
        using var v1 = answers["a"].Response;
        using var v2 = answers["b"].Response;
        // The backend's filters run after the rule's (its x-step wins) and only on its own requests.
        Assert.Equal("stable", answers["a"].Echo.Header("x-track"));
        Assert.Equal("v1", answers["a"].Echo.Header("x-step"));
        Assert.Equal("v1", v1.Headers.GetValues("x-served-by").Single());
        Assert.Equal("canary", answers["b"].Echo.Header("x-track"));
        Assert.Equal("rule", answers["b"].Echo.Header("x-step"));
        Assert.False(v2.Headers.Contains("x-served-by"));
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "canary"), Conditions, "ResolvedRefs", "True", "HTTPRoute ResolvedRefs");
    }

    [Fact]
    public async Task BackendRefExtensionRefToAMissingRouteFilter_Answers500ForThatBackendOnly_UntilItIsCreated()
    {
        await using var shops = await StartWithTwoShopsAsync();
        var (_, _, admin, gateway) = shops.Setup;
        const string host = "team.example.com";
        var path = ResourceKinds.HttpRoute.ObjectPath("web", "team");
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: team}
            spec:
              parentRefs: [{name: web}]
              hostnames: [{{host}}]
              rules:
              - backendRefs:
                - {name: shop-v1, port: 80}
                - name: shop-v2
                  port: 80
                  filters:
                  - type: ExtensionRef
                    extensionRef: {group: gateway.platform.io, kind: RouteFilter, name: team}
            """);

        var missing = await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "False", "ResolvedRefs=False for the missing RouteFilter");
        Assert.Equal("BackendNotFound", (string?)missing["reason"]);
        Assert.Equal("spec.rules[0].backendRefs[1].filters[0]: extensionRef RouteFilter \"web/team\" not found", (string?)missing["message"]);
        // The other backend's share is served; the unresolved one's share is answered 500 without calling it.
        await OneOfEachAsync(gateway, host, "a");
        Assert.Equal("HTTPRoute web/team spec.rules[0].backendRefs[1].filters[0]: ExtensionRef gateway.platform.io/RouteFilter \"team\" cannot be resolved",
            await ServerErrorDetailAsync(gateway, host, "500 for the backend's unresolved filter"));
        Assert.Equal(0, shops.B.Hits);

        // Created: the backendRef's RouteFilter re-programs the route and runs on that backend's requests only.
        await ApplyAsync(admin, ResourceKinds.RouteFilter.CollectionPath("web"), """
            apiVersion: gateway.platform.io/v1
            kind: RouteFilter
            metadata: {name: team}
            spec:
              filters:
              - AddRequestHeader=X-Team, blue
            """);
        var answers = await OneOfEachAsync(gateway, host, "a", "b");
        answers["a"].Response.Dispose();
        answers["b"].Response.Dispose();
        Assert.Equal("blue", answers["b"].Echo.Header("x-team"));
        Assert.Null(answers["a"].Echo.Header("x-team"));
        await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "True", "ResolvedRefs=True once the RouteFilter exists");
    }
}
