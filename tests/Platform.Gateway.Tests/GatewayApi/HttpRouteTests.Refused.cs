using System.Net;
using Platform.Contracts.Resources;
using Platform.Testing;

namespace Platform.Gateway.Tests.GatewayApi;

public sealed partial class HttpRouteTests
{
    [Fact]
    public async Task ARefusedBackendRef_CostsItsWeightsShareAs500s_AndARuleWithNoBackendAnswers500()
    {
        await using var shops = await StartWithTwoShopsAsync();
        var (_, _, admin, gateway) = shops.Setup;
        const string host = "half.example.com";
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: half}
            spec:
              parentRefs: [{name: web}]
              hostnames: [{{host}}]
              rules:
              - backendRefs:
                - {name: shop-v1, port: 80}
                - {name: ghost, port: 80}
              - matches:
                - path: {type: PathPrefix, value: /nowhere}
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-a, value: b}]
            """);
        var refused = await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "half"), Conditions, "ResolvedRefs", "False", "ResolvedRefs=False for ghost");
        Assert.Equal("BackendNotFound", (string?)refused["reason"]);
        await OneOfEachAsync(gateway, host, "a");

        // Equal weights, one Service missing: about half the requests are 500s naming the backendRef, none fall through.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 400; i++)
        {
            var answer = await BackendAsync(gateway, host, "/item/" + i);
            counts[answer] = counts.GetValueOrDefault(answer) + 1;
        }
        Assert.Equal(400, counts.GetValueOrDefault("a") + counts.GetValueOrDefault("status 500"));
        Assert.InRange(counts["status 500"], 140, 260);
        Assert.Equal("HTTPRoute web/half spec.rules[0].backendRefs[1]: backendRef Service \"ghost\" cannot be resolved",
            await ServerErrorDetailAsync(gateway, host, "a 500 for ghost's share"));

        // A rule without backendRefs (and no redirect) answers 500 instead of letting the request fall through to a 404.
        using (var none = await SendAsync(gateway, host, "/nowhere/x"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, none.StatusCode);
            Assert.Contains("spec.rules[1].backendRefs: the rule has no backendRefs", await none.Content.ReadAsStringAsync());
        }

        // The Service created: every request is served, ResolvedRefs turns True.
        await ServiceAsync(admin, "web", "ghost", shops.B.Port);
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "half"), Conditions, "ResolvedRefs", "True", "ResolvedRefs=True once ghost exists");
        await Eventually.WaitAsync(async () =>
        {
            for (var i = 0; i < 20; i++)
                if (await BackendAsync(gateway, host, "/item/" + i) is not ("a" or "b")) return false;
            return true;
        }, TimeSpan.FromSeconds(20), "every request served once ghost exists");
    }
}
