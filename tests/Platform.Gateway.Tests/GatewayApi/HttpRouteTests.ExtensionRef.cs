using System.Net;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    private static JsonNode? Conditions(JsonNode o) => o["status"]?["parents"]?[0]?["conditions"];

    /// <summary>The apiserver and the gateway, with the Service <c>web/shop</c> on one backend.</summary>
    private async Task<ShopSetup> StartWithShopAsync()
    {
        var shop = await TestBackend.StartAsync("a");
        var (api, admin, gateway, _) = await StartAsync();
        await ServiceAsync(admin, "web", "shop", shop.Port);
        return new ShopSetup(shop, api, admin, gateway);
    }

    /// <summary>The ProblemDetails <c>detail</c> of the first 500 the gateway answers for <c>/item</c> on <paramref name="host"/>.</summary>
    private static async Task<string?> ServerErrorDetailAsync(GatewayHost gateway, string host, string what)
    {
        using var failed = await Eventually.WaitAsync(async () =>
            await SendAsync(gateway, host, "/item") is { StatusCode: HttpStatusCode.InternalServerError } r ? r : null, TimeSpan.FromSeconds(20), what);
        return (string?)JsonNode.Parse(await failed.Content.ReadAsStringAsync())!["detail"];
    }

    private sealed record ShopSetup(TestBackend Shop, ApiServerHost Api, HttpClient Admin, GatewayHost Gateway) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            Admin.Dispose();
            await Api.DisposeAsync();
            await Shop.DisposeAsync();
        }
    }

    [Fact]
    public async Task ExtensionRefToAMissingRouteFilter_Answers500_UntilItIsCreated_ThenItsFiltersApplyInPlace()
    {
        await using var setup = await StartWithShopAsync();
        var (a, _, admin, gateway) = setup;
        const string host = "ext.example.com";
        var path = ResourceKinds.HttpRoute.ObjectPath("web", "ext");
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: ext}
            spec:
              parentRefs: [{name: web}]
              hostnames: [{{host}}]
              rules:
              - filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: x-step, value: route}]}
                - type: ExtensionRef
                  extensionRef: {group: gateway.platform.io, kind: RouteFilter, name: team}
                backendRefs: [{name: shop, port: 80}]
            """);

        // Not skipped: every request of the rule is answered 500, and the status names the rule, filter and reference.
        var missing = await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "False", "ResolvedRefs=False for the missing RouteFilter");
        Assert.Equal("BackendNotFound", (string?)missing["reason"]);
        Assert.Equal("spec.rules[0].filters[1]: extensionRef RouteFilter \"web/team\" not found", (string?)missing["message"]);
        await ConditionAsync(admin, path, Conditions, "Accepted", "True", "the route still Accepted");
        Assert.Equal("HTTPRoute web/ext spec.rules[0].filters[1]: ExtensionRef gateway.platform.io/RouteFilter \"team\" cannot be resolved",
            await ServerErrorDetailAsync(gateway, host, "500 for the unresolved filter"));
        Assert.Equal(0, a.Hits);

        // Created: the rule is served, the RouteFilter's filters running where the ExtensionRef stands (after the route's own).
        await ApplyAsync(admin, ResourceKinds.RouteFilter.CollectionPath("web"), """
            apiVersion: gateway.platform.io/v1
            kind: RouteFilter
            metadata: {name: team}
            spec:
              filters:
              - AddRequestHeader=X-Team, blue
              - SetRequestHeader=X-Step, filter
              - {name: AddResponseHeader, args: {name: X-Filtered, value: "yes"}}
            """);
        using (var served = await Eventually.WaitAsync(async () =>
            await SendAsync(gateway, host, "/item") is { StatusCode: HttpStatusCode.OK } r ? r : null, TimeSpan.FromSeconds(20), "served once the RouteFilter exists"))
        {
            var echo = await EchoResponse.ReadAsync(served);
            Assert.Equal("a", echo.Backend);
            Assert.Equal("blue", echo.Header("x-team"));
            Assert.Equal("filter", echo.Header("x-step"));
            Assert.Equal("yes", served.Headers.GetValues("X-Filtered").Single());
        }
        var resolved = await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "True", "ResolvedRefs=True once the RouteFilter exists");
        Assert.Equal("ResolvedRefs", (string?)resolved["reason"]);

        // Changed: the route follows the RouteFilter.
        await admin.PatchAsync(ResourceKinds.RouteFilter.ObjectPath("web", "team"), """{"spec":{"filters":["SetStatus=418"]}}""").ExpectAsync(200);
        using (var changed = await Eventually.WaitAsync(async () =>
            await SendAsync(gateway, host, "/item") is { StatusCode: (HttpStatusCode)418 } r ? r : null, TimeSpan.FromSeconds(20), "418 from the changed RouteFilter"))
        {
            var echo = await EchoResponse.ReadAsync(changed);
            Assert.Null(echo.Header("x-team"));
            Assert.Equal("route", echo.Header("x-step"));
        }

        // Deleted: 500 again.
        await admin.DeleteAsync(ResourceKinds.RouteFilter.ObjectPath("web", "team")).ExpectAsync(200);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, host, "/item") == "status 500", TimeSpan.FromSeconds(20), "500 once the RouteFilter is deleted");
        await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "False", "ResolvedRefs=False once the RouteFilter is deleted");
    }

    [Fact]
    public async Task ExtensionRefToAnUnknownKind_Answers500_WithInvalidKind()
    {
        await using var setup = await StartWithShopAsync();
        var (a, _, admin, gateway) = setup;
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: foreign}
            spec:
              parentRefs: [{name: web}]
              hostnames: [foreign.example.com]
              rules:
              - matches: [{path: {type: PathPrefix, value: /open}}]
                backendRefs: [{name: shop, port: 80}]
              - matches: [{path: {type: PathPrefix, value: /guarded}}]
                filters:
                - type: ExtensionRef
                  extensionRef: {group: example.com, kind: AuthPolicy, name: strict}
                backendRefs: [{name: shop, port: 80}]
            """);
        var path = ResourceKinds.HttpRoute.ObjectPath("web", "foreign");
        var condition = await ConditionAsync(admin, path, Conditions, "ResolvedRefs", "False", "ResolvedRefs=False for the unknown kind");
        Assert.Equal("InvalidKind", (string?)condition["reason"]);
        Assert.Equal("spec.rules[1].filters[0]: extensionRef example.com/AuthPolicy \"strict\": only gateway.platform.io/RouteFilter is served",
            (string?)condition["message"]);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "foreign.example.com", "/open") == "a", TimeSpan.FromSeconds(20), "the other rule served");
        Assert.Equal("status 500", await BackendAsync(gateway, "foreign.example.com", "/guarded"));
    }
}
