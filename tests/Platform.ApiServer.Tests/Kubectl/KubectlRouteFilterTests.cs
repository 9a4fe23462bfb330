using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// RouteFilters (gateway.platform.io/v1, the filters an HTTPRoute's ExtensionRef names) through kubectl: discovery,
/// apply, get with NAME FILTERS AGE, explain, the edit/view roles, and admission with the gateway's filter schemas.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlRouteFilterTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task RouteFilter_ApplyGetExplain_AndRoles()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "rf-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Matches(@"(?m)^routefilters\s+rf\s+gateway\.platform\.io/v1\s+true\s+RouteFilter$",
            await kubectl.OkAsync(null, "api-resources", "--api-group=gateway.platform.io"));
        Assert.Equal("routefilter.gateway.platform.io/team created\n", await kubectl.OkAsync("""
            apiVersion: gateway.platform.io/v1
            kind: RouteFilter
            metadata: {name: team}
            spec:
              filters:
              - AddRequestHeader=X-Team, blue
              - {name: RequestRateLimiter, args: {redis-rate-limiter.replenishRate: 10, redis-rate-limiter.burstCapacity: 20}}
            """, "apply", "-f", "-"));
        var table = await kubectl.OkAsync(null, "get", "rf");
        Assert.Matches(@"^NAME\s+FILTERS\s+AGE\n", table);
        Assert.Matches(@"(?m)^team\s+2\s+\S+$", table);
        Assert.Equal("AddRequestHeader=X-Team, blue", await kubectl.OkAsync(null, "get", "routefilter", "team", "-o", "jsonpath={.spec.filters[0]}"));
        Assert.Contains("filters", await kubectl.OkAsync(null, "explain", "routefilters.spec"));

        // Admission checks each filter as a Route's: an unknown filter or argument names the field and the reason.
        var refused = await kubectl.RunAsync("""
            apiVersion: gateway.platform.io/v1
            kind: RouteFilter
            metadata: {name: bad}
            spec:
              filters: [AddRequestHeader=X-A, NoSuchFilter=1]
            """, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("spec.filters[1].name", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown filter 'NoSuchFilter'", refused.Stderr, StringComparison.Ordinal);

        await kubectl.OkAsync(null, "create", "serviceaccount", "dev");
        await kubectl.OkAsync(null, "create", "serviceaccount", "reader");
        await kubectl.OkAsync(null, "create", "rolebinding", "dev", "--clusterrole=edit", $"--serviceaccount={ns}:dev");
        await kubectl.OkAsync(null, "create", "rolebinding", "reader", "--clusterrole=view", $"--serviceaccount={ns}:reader");
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "create", "routefilters.gateway.platform.io", $"--as=system:serviceaccount:{ns}:dev"));
        Assert.Equal("yes\n", await kubectl.OkAsync(null, "auth", "can-i", "list", "routefilters.gateway.platform.io", $"--as=system:serviceaccount:{ns}:reader"));
        Assert.Equal("no\n", (await kubectl.RunAsync(null, "auth", "can-i", "update", "routefilters.gateway.platform.io", $"--as=system:serviceaccount:{ns}:reader")).Stdout);

        await kubectl.OkAsync(null, "delete", "rf", "team");
        Assert.DoesNotContain("team", await kubectl.OkAsync(null, "get", "routefilters"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[NoSuchFilter=1]", "spec.filters[0].name", "filter NoSuchFilter: unknown filter 'NoSuchFilter'")]
    [InlineData("[\"AddRequestHeader=X-A, b\", \"StripPrefix=two\"]", "spec.filters[1].args.parts", "filter StripPrefix: argument 'parts': 'two' is not an integer")]
    [InlineData("[{name: AddRequestHeader, args: {name: X-A, vlaue: \"1\"}}]", "spec.filters[0].args.vlaue", "argument 'vlaue': unknown argument of AddRequestHeader")]
    [InlineData("[]", "spec.filters", "required")]
    public async Task RouteFilter_WithAFilterTheGatewayWouldRefuse_Is422NamingTheField(string filters, string field, string reason)
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var errors = await InvalidCauses.PostAsync(http, ResourceKinds.RouteFilter.CollectionPath(ns), $$"""
            apiVersion: gateway.platform.io/v1
            kind: RouteFilter
            metadata: {name: bad}
            spec: {filters: {{filters}}}
            """);
        Assert.Contains(reason, Assert.Single(errors, e => e.Key == field).Value, StringComparison.OrdinalIgnoreCase);
    }
}
