using Platform.Contracts.Resources.GatewayApi;
using Platform.Contracts.Routing;
using Platform.Gateway.GatewayApi;

namespace Platform.Gateway.Tests.GatewayApi;

/// <summary>An HTTPRoute's backendRef filters as gateway routes, without a gateway: on that backend's route only, after the rule's.</summary>
public sealed class HttpRouteBackendFiltersTests
{
    private static HttpRouteFilter SetHeader(string name, string value) =>
        new() { Type = "RequestHeaderModifier", RequestHeaderModifier = new() { Set = [new() { Name = name, Value = value }] } };

    private static HttpRoute Route(params HttpBackendRef[] backends) => new()
    {
        Metadata = new() { Name = "canary", Namespace = "web" },
        Spec = new()
        {
            Rules =
            [
                new()
                {
                    Matches = [new() { Path = new() { Type = "PathPrefix", Value = "/api" } }],
                    Filters = [SetHeader("x-step", "rule")],
                    BackendRefs = [.. backends],
                },
            ],
        },
    };

    private static HttpRouteRoutes.Result Routes(HttpRoute route, Func<string, bool>? exists = null) =>
        HttpRouteRoutes.For(route, [], [], b => exists?.Invoke(b.Name!) == false ? null : new HttpRouteRoutes.Backend("lb://" + b.Name, "80", b.Weight ?? 1),
            _ => true, (reference, _) => reference.Name == "team" ? [ComponentDefinition.ParseShortcut("AddRequestHeader=X-Team, blue")] : null);

    [Fact]
    public void EachBackendsFilters_FollowTheRulesOnItsOwnRouteOnly()
    {
        var result = Routes(Route(
            new() { Name = "v1", Port = 80, Filters = [SetHeader("x-track", "stable"), new() { Type = "ExtensionRef", ExtensionRef = new() { Group = "gateway.platform.io", Kind = "RouteFilter", Name = "team" } }] },
            new() { Name = "v2", Port = 80, Filters = [new() { Type = "URLRewrite", UrlRewrite = new() { Path = new() { Type = "ReplacePrefixMatch", ReplacePrefixMatch = "/v2" } } }] }));

        Assert.Empty(result.Problems);
        Assert.Equal(["lb://v1", "lb://v2"], result.Routes.Select(r => r.Uri));
        Assert.All(result.Routes, r => Assert.Contains(r.Predicates, p => p.Name == "Weight"));
        Assert.Equal(["SetRequestHeader", "SetRequestHeader", "AddRequestHeader"], result.Routes[0].Filters.Select(f => f.Name));
        Assert.Equal("stable", result.Routes[0].Filters[1].Args["value"]);
        // A backend's prefix rewrite is completed with the match's prefix, as a rule's is.
        Assert.Equal(["SetRequestHeader", "RewritePath"], result.Routes[1].Filters.Select(f => f.Name));
        Assert.Equal("^/api(?<rest>/.*)?$", result.Routes[1].Filters[1].Args["regexp"]);
        Assert.Equal("/v2${rest}", result.Routes[1].Filters[1].Args["replacement"]);
    }

    [Fact]
    public void AnUnresolvedExtensionRefOnABackend_Answers500ForThatBackend_NamingItsField()
    {
        var result = Routes(Route(
            new() { Name = "v1", Port = 80 },
            new() { Name = "v2", Port = 80, Filters = [new() { Type = "ExtensionRef", ExtensionRef = new() { Group = "gateway.platform.io", Kind = "RouteFilter", Name = "gone" } }] }));

        Assert.Equal(["SetRequestHeader"], result.Routes[0].Filters.Select(f => f.Name));
        var unresolved = result.Routes[1].Filters[^1];
        Assert.Equal(UnresolvedRefFilterFactory.FilterName, unresolved.Name);
        Assert.Equal("spec.rules[0].backendRefs[1].filters[0]", unresolved.Args["field"]);
    }

    [Fact]
    public void ARefusedBackend_Answers500ForItsShare_WithoutItsFilters_AndAFilterTypeTheGatewayDoesNotKnow_LeavesTheRuleOut()
    {
        var refused = Routes(Route(new() { Name = "v1", Port = 80 }, new() { Name = "missing", Port = 80, Weight = 3, Filters = [SetHeader("x-a", "b")] }), n => n != "missing");
        Assert.Equal(["lb://v1", "no://op"], refused.Routes.Select(r => r.Uri));
        Assert.Equal(["1", "3"], refused.Routes.Select(r => r.Predicates.Single(p => p.Name == "Weight").Args["weight"]));
        Assert.Equal(["SetRequestHeader"], refused.Routes[0].Filters.Select(f => f.Name));
        var unresolved = refused.Routes[1].Filters[^1];
        Assert.Equal((UnresolvedRefFilterFactory.FilterName, "spec.rules[0].backendRefs[1]"), (unresolved.Name, unresolved.Args["field"]));
        Assert.Equal("backendRef Service \"missing\" cannot be resolved", unresolved.Args["reason"]);

        var unknown = Routes(Route(new HttpBackendRef { Name = "v1", Port = 80, Filters = [new() { Type = "CORS" }] }));
        Assert.Empty(unknown.Routes);
        Assert.Equal(["spec.rules[0].backendRefs[0].filters[0]: CORS filters are not served by the gateway; rule not served"], unknown.Problems);
    }

    [Fact]
    public void ARuleWithNoBackendToSendTo_Answers500_AndARefusedBackendOfWeight0_TakesNoShare()
    {
        var none = Assert.Single(Routes(Route()).Routes);
        Assert.Equal(("no://op", "the rule has no backendRefs"), (none.Uri, none.Filters[^1].Args["reason"]));
        var zero = Assert.Single(Routes(Route(new HttpBackendRef { Name = "v1", Port = 80, Weight = 0 })).Routes);
        Assert.Equal("every backendRef has weight 0", zero.Filters[^1].Args["reason"]);

        var served = Assert.Single(Routes(Route(new() { Name = "v1", Port = 80 }, new() { Name = "missing", Port = 80, Weight = 0 }), n => n != "missing").Routes);
        Assert.Equal("lb://v1", served.Uri);
    }

    [Fact]
    public void ARouteFilterNamedFromABackendRef_IsNamedByTheRoute()
    {
        var route = Route(new HttpBackendRef { Name = "v1", Port = 80, Filters = [new() { Type = "ExtensionRef", ExtensionRef = new() { Group = "gateway.platform.io", Kind = "RouteFilter", Name = "team" } }] });
        Assert.True(RouteFilterRefs.Names(route, "team"));
        Assert.False(RouteFilterRefs.Names(route, "other"));
    }
}
