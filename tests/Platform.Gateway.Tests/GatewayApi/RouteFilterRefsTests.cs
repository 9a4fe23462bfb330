using System.Text.Json;
using Platform.Contracts.Resources;
using Platform.Contracts.Resources.GatewayApi;
using Platform.Gateway.GatewayApi;
using LocalObjectReference = Platform.Contracts.Resources.GatewayApi.LocalObjectReference;

namespace Platform.Gateway.Tests.GatewayApi;

/// <summary>An HTTPRoute's ExtensionRef resolved against RouteFilters, without a gateway: the filters in place, or why not.</summary>
public sealed class RouteFilterRefsTests
{
    private static readonly LocalObjectReference Team = new() { Group = "gateway.platform.io", Kind = "RouteFilter", Name = "team" };

    private static RouteFilter Filter(params string[] filters) => new()
    {
        Metadata = new() { Name = "team", Namespace = "web" },
        Spec = new() { Filters = [.. filters.Select(f => JsonDocument.Parse(f).RootElement.Clone())] },
    };

    private static HttpRoute Route() => new()
    {
        Metadata = new() { Name = "ext", Namespace = "web" },
        Spec = new()
        {
            Rules =
            [
                new()
                {
                    Filters =
                    [
                        new() { Type = "RequestHeaderModifier", RequestHeaderModifier = new() { Set = [new() { Name = "x-step", Value = "route" }] } },
                        new() { Type = "ExtensionRef", ExtensionRef = Team },
                        new() { Type = "ResponseHeaderModifier", ResponseHeaderModifier = new() { Add = [new() { Name = "x-after", Value = "1" }] } },
                    ],
                    BackendRefs = [new() { Name = "shop", Port = 80 }],
                },
            ],
        },
    };

    private static HttpRouteRoutes.Result Routes(RouteFilter? stored, List<string> messages) =>
        HttpRouteRoutes.For(Route(), [], [], b => new HttpRouteRoutes.Backend("lb://" + b.Name, "80", 1), _ => true, (reference, where) =>
        {
            var outcome = RouteFilterRefs.Resolve("web", reference, where, (ns, name) => ns == "web" && name == stored?.Metadata.Name ? stored : null);
            if (outcome.Filters is null) messages.Add($"{outcome.RefusedReason}: {outcome.Message}");
            return outcome.Filters;
        });

    [Fact]
    public void AResolvedRouteFilter_StandsInTheRuleAtTheExtensionRefsPlace()
    {
        List<string> messages = [];
        var route = Assert.Single(Routes(Filter("\"AddRequestHeader=X-Team, blue\"", """{"name":"SetStatus","args":{"status":"418"}}"""), messages).Routes);
        Assert.Empty(messages);
        Assert.Equal(["SetRequestHeader", "AddRequestHeader", "SetStatus", "AddResponseHeader"], route.Filters.Select(f => f.Name));
        Assert.Equal("lb://shop", route.Uri);
    }

    [Fact]
    public void AMissingRouteFilter_IsNotSkipped_TheRuleAnswers500()
    {
        List<string> messages = [];
        var route = Assert.Single(Routes(null, messages).Routes);
        Assert.Equal(["BackendNotFound: spec.rules[0].filters[1]: extensionRef RouteFilter \"web/team\" not found"], messages);
        // The filters before it stay; the ones after it and the backend are never reached.
        Assert.Equal(["SetRequestHeader", UnresolvedRefFilterFactory.FilterName], route.Filters.Select(f => f.Name));
        Assert.Equal("spec.rules[0].filters[1]", route.Filters[1].Args["field"]);
        Assert.Equal("no://op", route.Uri);
    }

    [Fact]
    public void AStoredRouteFilterAdmissionWouldRefuse_IsReportedWithItsField_AndAnswers500()
    {
        List<string> messages = [];
        var route = Assert.Single(Routes(Filter("\"AddRequestHeader=X-A, b\"", "\"NoSuchFilter=1\""), messages).Routes);
        var message = Assert.Single(messages);
        Assert.StartsWith(": spec.rules[0].filters[1]: RouteFilter \"web/team\" spec.filters[1].name: filter NoSuchFilter: unknown filter 'NoSuchFilter'", message);
        Assert.Equal(UnresolvedRefFilterFactory.FilterName, route.Filters[^1].Name);
    }

    [Fact]
    public void AnotherKind_IsInvalidKind()
    {
        var outcome = RouteFilterRefs.Resolve("web", Team with { Group = "example.com", Kind = "AuthPolicy" }, "spec.rules[0].filters[0]", (_, _) => Filter("\"AddRequestHeader=X-A, b\""));
        Assert.Null(outcome.Filters);
        Assert.Equal(GatewayApiNames.InvalidKind, outcome.RefusedReason);
        Assert.Equal("spec.rules[0].filters[0]: extensionRef example.com/AuthPolicy \"team\": only gateway.platform.io/RouteFilter is served", outcome.Message);
    }
}
