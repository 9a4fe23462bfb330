using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>kubectl on Ingresses (networking.k8s.io/v1): the <c>platform</c> class the apiserver makes, <c>create ingress</c> rules, the columns, and refusals.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlIngressTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string NoPathType = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: bad
        spec:
          rules:
            - host: 10.0.0.1
              http:
                paths:
                  - path: api
                    backend:
                      service: {name: api, port: {name: http, number: 80}}
        """;

    [Fact]
    public async Task CreateIngress_GetShowsClassAndHosts_ThePlatformClassIsTheDefault_AndBadRulesAre422()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "ing-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        var classes = (await kubectl.OkAsync(null, "get", "ingressclass")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE$", classes[0]);
        Assert.Matches(@"^platform\s+gateway\.platform\.io/ingress-controller\s+<none>\s+\S+$", classes[1]);
        Assert.Equal("true", await kubectl.OkAsync(null, "get", "ingressclass", "platform", "-o",
            "jsonpath={.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}"));

        Assert.Equal("ingress.networking.k8s.io/web created\n", await kubectl.OkAsync(null, "create", "ingress", "web", "--class=platform",
            "--rule=a.example.com/*=svc-a:80", "--rule=b.example.com/api=svc-b:http"));
        var rows = (await kubectl.OkAsync(null, "get", "ing")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$", rows[0]);
        Assert.Matches(@"^web\s+platform\s+a\.example\.com,b\.example\.com\s+80\s+\S+$", rows[1]);
        Assert.Equal("Prefix / svc-a 80 | Exact /api svc-b http", await kubectl.OkAsync(null, "get", "ingress", "web", "-o",
            "jsonpath={.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].path} {.spec.rules[0].http.paths[0].backend.service.name} {.spec.rules[0].http.paths[0].backend.service.port.number} | " +
            "{.spec.rules[1].http.paths[0].pathType} {.spec.rules[1].http.paths[0].path} {.spec.rules[1].http.paths[0].backend.service.name} {.spec.rules[1].http.paths[0].backend.service.port.name}"));

        var refused = await kubectl.RunAsync(NoPathType, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The Ingress \"bad\" is invalid", refused.Stderr);
        Assert.Contains("spec.rules[0].host", refused.Stderr);
        Assert.Contains("must be a DNS name, not an IP address", refused.Stderr);
        Assert.Contains("spec.rules[0].http.paths[0].pathType", refused.Stderr);
        Assert.Contains("spec.rules[0].http.paths[0].backend.service.port", refused.Stderr);
        Assert.Contains("cannot set both port name & port number", refused.Stderr);

        var noRules = await kubectl.RunAsync("""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"empty"},"spec":{}}""", "apply", "-f", "-");
        Assert.Contains("either `defaultBackend` or `rules` must be specified", noRules.Stderr);
    }
}
