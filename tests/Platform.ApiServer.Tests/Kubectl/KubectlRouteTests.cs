using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>kubectl on Routes (gateway.platform.io/v1): a filter the gateway lacks is refused at apply, and the status the gateway writes shows in <c>-o yaml</c>.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlRouteTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Route = """
        apiVersion: gateway.platform.io/v1
        kind: Route
        metadata:
          name: pay
        spec:
          uri: lb://pay
          predicates: [ "Path=/pay/**" ]
          filters:
            - FILTER
        """;

    [Fact]
    public async Task Apply_UnknownFilterOrBadArgument_IsRefusedNamingRouteAndArgument_StatusShowsInYaml()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "rt-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        var unknown = await kubectl.RunAsync(Route.Replace("FILTER", "NoSuchFilter=1", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("The Route \"pay\" is invalid", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.filters[0].name", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("unknown filter 'NoSuchFilter'", unknown.Stderr, StringComparison.Ordinal);

        var badArg = await kubectl.RunAsync(Route.Replace("FILTER", "StripPrefix=two", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.NotEqual(0, badArg.ExitCode);
        Assert.Contains("spec.filters[0].args.parts", badArg.Stderr, StringComparison.Ordinal);
        Assert.Contains("'two' is not an integer", badArg.Stderr, StringComparison.Ordinal);

        await kubectl.OkAsync(Route.Replace("FILTER", "StripPrefix=1", StringComparison.Ordinal), "apply", "-f", "-");
        // What the gateway writes (RouteStatusWriter), through the status subresource; kubectl shows it.
        await kubectl.OkAsync(null, "patch", "route", "pay", "--subresource=status", "--type=merge", "-p",
            """{"status":{"observedGeneration":1,"conditions":[{"type":"ResolvedRefs","status":"False","reason":"BackendNotFound","observedGeneration":1}]}}""");
        var yaml = await kubectl.OkAsync(null, "get", "route", "pay", "-o", "yaml");
        Assert.Contains("reason: BackendNotFound", yaml, StringComparison.Ordinal);
        Assert.Contains("type: ResolvedRefs", yaml, StringComparison.Ordinal);
    }
}
