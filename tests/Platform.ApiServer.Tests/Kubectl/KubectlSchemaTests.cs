using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// The OpenAPI v3 documents as kubectl uses them: <c>explain</c>, the strategic merge patch of <c>apply</c>, and
/// <c>--validate=strict</c> (kubectl's default), which kubectl leaves to the server once the documents say every
/// PATCH takes <c>fieldValidation</c>.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlSchemaTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: typo
        spec:
          replica: 2
          selector:
            matchLabels: {app: typo}
          template:
            metadata:
              labels: {app: typo}
            spec:
              containers:
              - name: httpd
                image: platform/busybox:latest
        """;

    [Fact]
    public async Task Explain_PrintsFieldsAndTypes_FromTheSchemasTheServerDecodesWith()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");

        var strategy = await kubectl.OkAsync(null, "explain", "deployment.spec.strategy");
        Assert.Contains("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n", strategy);
        Assert.Contains("FIELD: strategy <DeploymentStrategy>", strategy);
        Assert.Matches(@"(?m)^  rollingUpdate\t<RollingUpdateDeployment>$", strategy);
        Assert.Matches(@"(?m)^  type\t<string>$", strategy);
        Assert.Contains("Recreate", strategy);   // from the type's summary

        var ports = await kubectl.OkAsync(null, "explain", "pods.spec.containers.ports");
        Assert.Contains("KIND:       Pod\nVERSION:    v1\n", ports);
        Assert.Contains("FIELD: ports <[]ContainerPort>", ports);
        Assert.Matches(@"(?m)^  containerPort\t<integer>\n    The port the container listens on", ports);

        var recursive = await kubectl.OkAsync(null, "explain", "service.spec", "--recursive");
        Assert.Matches(@"(?m)^  ports\t<\[\]ServicePort>$", recursive);
        Assert.Matches(@"(?m)^    targetPort\t<IntOrString>$", recursive);

        var missing = await kubectl.RunAsync(null, "explain", "deployment.spec.replica");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("field \"replica\" does not exist", missing.Stderr);
    }

    [Fact]
    public async Task Validate_StrictIsTheServers_WarnWarns_FalseIgnores_AsKubernetesAnswers()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");

        // kubectl's default, --validate=strict: the server refuses the typo with Kubernetes' reason and message.
        var strict = await kubectl.RunAsync(Deployment, "apply", "-f", "-");
        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("Error from server (BadRequest): error when creating \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: " +
            "strict decoding error: unknown field \"spec.replica\"", strict.Stderr);
        Assert.NotEqual(0, (await kubectl.RunAsync(null, "get", "deployment", "typo")).ExitCode);

        var warn = await kubectl.RunAsync(Deployment, "apply", "--validate=warn", "-f", "-");
        Assert.True(warn.ExitCode == 0, warn.Stderr);
        Assert.Contains("Warning: unknown field \"spec.replica\"", warn.Stderr);
        Assert.Equal("deployment.apps/typo created\n", warn.Stdout);

        var ignore = await kubectl.RunAsync(Deployment.Replace("name: typo\n", "name: typo2\n"), "apply", "--validate=false", "-f", "-");
        Assert.True(ignore.ExitCode == 0, ignore.Stderr);
        Assert.DoesNotContain("unknown field", ignore.Stderr);

        // apply to an existing object sends a strategic merge patch with fieldValidation=Strict: 422 on the patch, as
        // kube-apiserver answers it, and nothing changes.
        var patch = await kubectl.RunAsync(Deployment.Replace("replica: 2", "replica: 3\n  minReadySeconds: 7"), "apply", "-f", "-");
        Assert.NotEqual(0, patch.ExitCode);
        Assert.Contains("The request is invalid: patch: strict decoding error: unknown field \"spec.replica\"", patch.Stderr);
        Assert.Equal("", await kubectl.OkAsync(null, "get", "deployment", "typo", "-o", "jsonpath={.spec.minReadySeconds}"));

        // kubectl patch sends no directive: the server's default, Warn.
        var merge = await kubectl.RunAsync(null, "patch", "deployment", "typo", "--type", "merge", "-p", """{"spec":{"replicas":4,"replica":3}}""");
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Contains("Warning: unknown field \"spec.replica\"", merge.Stderr);
        Assert.Equal("4", await kubectl.OkAsync(null, "get", "deployment", "typo", "-o", "jsonpath={.spec.replicas}"));

    }

    [Fact]
    public async Task SeedManifests_ApplyWithKubectl_AsWritten_TheTypoedPodRefusedAsKubernetesRefusesIt()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");
        string Seed(string file) => Path.Combine(AppContext.BaseDirectory, "Seeds", file);

        Assert.Equal("namespace/dev created\n", await kubectl.OkAsync(null, "apply", "-f", Seed("namespace-dev.yaml")));
        Assert.Equal("resourcequota/compute-quota created\n", await kubectl.OkAsync(null, "apply", "-f", Seed("resourcequota-compute-quota.yaml")));
        foreach (var (file, created) in new[]
        {
            ("pod-myapp-pod.yaml", "pod/myapp-pod created"), ("pod-my-pod1.yaml", "pod/my-pod1 created"),
            ("replicaset-myapp-rc.yaml", "replicaset.apps/myapp-rc created"), ("deployment-httpd-frontend.yaml", "deployment.apps/httpd-frontend created"),
            ("service-back-end.yaml", "service/back-end created"),
        })
        {
            Assert.Equal(created + "\n", await kubectl.OkAsync(null, "apply", "-f", Seed(file)));
        }
        Assert.Equal("deployment.apps/httpd-frontend unchanged\n", await kubectl.OkAsync(null, "apply", "-f", Seed("deployment-httpd-frontend.yaml")));

        // Two seeds misspell fields (a pod's metadata.namepsace and containers[0].port, a Service's metadata.label):
        // kubectl's default strict validation refuses them, as Kubernetes does; --validate=warn applies them and
        // names each typo.
        foreach (var (file, typos, created) in new[]
        {
            ("pod-my-app-pod.yaml", "unknown field \"metadata.namepsace\", unknown field \"spec.containers[0].port\"", "pod/my-app-pod created"),
            ("service-myapp-service.yaml", "unknown field \"metadata.label\"", "service/myapp-service created"),
        })
        {
            var refused = await kubectl.RunAsync(null, "apply", "-f", Seed(file));
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Error from server (BadRequest)", refused.Stderr);
            Assert.Contains("strict decoding error: " + typos, refused.Stderr);
            var warned = await kubectl.RunAsync(null, "apply", "--validate=warn", "-f", Seed(file));
            Assert.True(warned.ExitCode == 0, warned.Stderr);
            Assert.Equal(created + "\n", warned.Stdout);
            Assert.Contains("Warning: " + typos.Split(", ")[0], warned.Stderr);
        }
        Assert.Matches(@"myapp-service\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:30008/TCP", await kubectl.OkAsync(null, "get", "svc"));
    }

    [Fact]
    public async Task OpenApiV3_ListsOneDocumentPerGroupVersion_CachedByHash_WithPatchMetadataAndFieldValidation()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client().GetAsync("/openapi/v3")).StatusCode);

        var index = JsonNode.Parse(await http.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();
        Assert.Equal(["api/v1", "apis/apps/v1", "apis/autoscaling/v2", "apis/batch/v1", "apis/coordination.k8s.io/v1", "apis/discovery.k8s.io/v1", "apis/gateway.networking.k8s.io/v1", "apis/gateway.networking.k8s.io/v1beta1", "apis/gateway.platform.io/v1", "apis/kafka.platform.io/v1", "apis/networking.k8s.io/v1", "apis/policy/v1", "apis/rbac.authorization.k8s.io/v1", "apis/scheduling.k8s.io/v1", "apis/storage.k8s.io/v1"], index.Select(p => p.Key).Order(StringComparer.Ordinal));
        var url = (string)index["apis/apps/v1"]!["serverRelativeURL"]!;
        Assert.Matches(@"^/openapi/v3/apis/apps/v1\?hash=[0-9A-F]{128}$", url);

        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", (string)patch["x-kubernetes-group-version-kind"]!["kind"]!);
        Assert.Contains(patch["parameters"]!.AsArray(), p => (string)p!["name"]! == "fieldValidation" && (string)p["in"]! == "query");
        Assert.NotNull(patch["requestBody"]!["content"]!["application/strategic-merge-patch+json"]);

        // Containers merge by name, as the server's strategic merge patch merges them.
        var schemas = doc["components"]!["schemas"]!;
        var containers = schemas["io.platform.contracts.resources.PodSpec"]!["properties"]!["containers"]!;
        Assert.Equal("name", (string)containers["x-kubernetes-patch-merge-key"]!);
        Assert.Equal("merge", (string)containers["x-kubernetes-patch-strategy"]!);
        var deployment = schemas["io.platform.contracts.resources.Deployment"]!;
        Assert.Equal("apps", (string)deployment["x-kubernetes-group-version-kind"]![0]!["group"]!);

        // Without a hash: revalidated by ETag. With an old one: sent to the current URL.
        using var plain = await http.GetAsync("/openapi/v3/apis/apps/v1");
        Assert.True(plain.Headers.CacheControl!.NoCache);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/apis/apps/v1");
        conditional.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(conditional)).StatusCode);
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        noRedirect.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminToken);
        using var stale = await noRedirect.GetAsync("/openapi/v3/apis/apps/v1?hash=ABC");
        Assert.Equal(HttpStatusCode.MovedPermanently, stale.StatusCode);
        Assert.Equal(url, stale.Headers.Location!.OriginalString);

        using var proto = new HttpRequestMessage(HttpMethod.Get, url);
        proto.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v3@v1.0+protobuf");
        Assert.Equal(HttpStatusCode.NotAcceptable, (await http.SendAsync(proto)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/openapi/v3/apis/admissionregistration.k8s.io/v1")).StatusCode);

        // The fieldValidation directive is checked like any parameter.
        var bad = await http.PostAsync("/apis/apps/v1/namespaces/default/deployments?fieldValidation=Loose",
            new StringContent(Deployment, System.Text.Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("fieldValidation: 'Loose' is not one of Ignore, Warn, Strict", await bad.Content.ReadAsStringAsync());
    }
}
