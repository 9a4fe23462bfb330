using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>The kubectl binary, unchanged, against the apiserver over TLS with a bearer token, as a user drives it.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: httpd
                image: platform/busybox:latest
                command: ["httpd", "-f", "-p", "8080"]
        """;

    [Fact]
    public async Task Kubectl_DiscoversPrintsAppliesScalesLabelsPatchesDescribesAndDeletes()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        Assert.Equal("https", host.BaseAddress.Scheme);
        var ns = "kubectl-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        Assert.Equal($"namespace/{ns} created\n", await kubectl.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "-f", "-"));

        Assert.Contains("Server Version: v1.32.0-platform", await kubectl.OkAsync(null, "version"));
        var resources = await kubectl.OkAsync(null, "api-resources");
        Assert.Matches(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", resources);

        Assert.Equal("deployment.apps/web created\n", await kubectl.OkAsync(Deployment, "apply", "-f", "-"));
        Assert.Equal("deployment.apps/web unchanged\n", await kubectl.OkAsync(Deployment, "apply", "-f", "-"));

        // Server-side printing: kubectl shows the Table's columns and cells.
        var table = (await kubectl.OkAsync(null, "get", "deployments")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$", table[0]);
        Assert.Matches(@"^web\s+0/2\s+0\s+0\s+\d+s$", table[1]);
        var all = (await kubectl.OkAsync(null, "get", "namespaces", ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($@"^{ns}\s+Active\s+\d+s$", all[1]);

        // get -w: the list, then each change as a one-row Table on the watch stream.
        var (watch, lines) = kubectl.Start("get", "deployments", "-w");
        try
        {
            await NextLineAsync(lines, @"^NAME\s+READY");
            await NextLineAsync(lines, @"^web\s+0/2\s");
            Assert.Equal("deployment.apps/web scaled\n", await kubectl.OkAsync(null, "scale", "deployment/web", "--replicas=3"));
            await NextLineAsync(lines, @"^web\s+0/3\s");
        }
        finally
        {
            watch.Kill();
            watch.Dispose();
        }
        Assert.Equal("deployment.apps/web labeled\n", await kubectl.OkAsync(null, "label", "deployment", "web", "tier=front"));
        Assert.Equal("deployment.apps/web annotated\n", await kubectl.OkAsync(null, "annotate", "deployment", "web", "owner=team-a"));
        Assert.Equal("deployment.apps/web patched\n", await kubectl.OkAsync(null, "patch", "deployment", "web", "--type", "merge", "-p", """{"spec":{"minReadySeconds":5}}"""));
        Assert.Equal("3 front team-a 5", await kubectl.OkAsync(null, "get", "deployment", "web", "-o",
            "jsonpath={.spec.replicas} {.metadata.labels.tier} {.metadata.annotations.owner} {.spec.minReadySeconds}"));
        Assert.Equal("deployment.apps/web\n", await kubectl.OkAsync(null, "get", "deployments", "-l", "tier=front", "-o", "name"));

        // The other patch types kubectl sends: JSON patch, strategic merge (containers merge by name), and the strategic
        // patches of a changed apply and of set image.
        Assert.Equal("deployment.apps/web patched\n", await kubectl.OkAsync(null, "patch", "deployment", "web", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"platform/busybox:v2"}]"""));
        Assert.Equal("deployment.apps/web patched\n", await kubectl.OkAsync(null, "patch", "deployment", "web", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"platform/busybox:latest"}]}}}}"""));
        Assert.Equal("httpd=platform/busybox:v2 sidecar=platform/busybox:latest ", await Containers(kubectl));
        Assert.Equal("deployment.apps/web configured\n",
            await kubectl.OkAsync(Deployment.Replace("image: platform/busybox:latest", "image: platform/busybox:v3"), "apply", "-f", "-"));
        Assert.Equal("httpd=platform/busybox:v3 sidecar=platform/busybox:latest ", await Containers(kubectl));
        Assert.Equal("deployment.apps/web image updated\n", await kubectl.OkAsync(null, "set", "image", "deployment/web", "httpd=platform/busybox:v4"));
        Assert.Equal("httpd=platform/busybox:v4 sidecar=platform/busybox:latest ", await Containers(kubectl));
        var badTest = await kubectl.RunAsync(null, "patch", "deployment", "web", "--type", "json", "-p", """[{"op":"test","path":"/spec/replicas","value":7}]""");
        Assert.NotEqual(0, badTest.ExitCode);
        // Errors reach kubectl as v1 Status objects, so it prints the server's reason and message.
        Assert.Contains("The request is invalid: patch[0]: test failed", badTest.Stderr);

        // A server-side dry run is admitted and answered, and stores nothing.
        Assert.Equal("deployment.apps/dry created (server dry run)\n",
            await kubectl.OkAsync(Deployment.Replace("name: web", "name: dry"), "apply", "--dry-run=server", "-f", "-"));
        Assert.NotEqual(0, (await kubectl.RunAsync(null, "get", "deployment", "dry")).ExitCode);
        Assert.Equal("deployment.apps \"web\" deleted (server dry run)\n", await kubectl.OkAsync(null, "delete", "deployment", "web", "--dry-run=server"));
        Assert.StartsWith("deployment.apps/web patched",
            await kubectl.OkAsync(null, "patch", "deployment", "web", "--dry-run=server", "--type", "merge", "-p", """{"spec":{"replicas":9}}"""));
        Assert.Equal("2", await kubectl.OkAsync(null, "get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"));   // as the last apply set it, not 9

        var described = await kubectl.OkAsync(null, "describe", "deployment", "web");
        Assert.Matches(@"(?m)^Name:\s+web$", described);
        Assert.Matches($@"(?m)^Namespace:\s+{ns}$", described);

        Assert.Equal("deployment.apps \"web\" deleted\n", await kubectl.OkAsync(null, "delete", "deployments", "-l", "tier=front"));
        var gone = await kubectl.RunAsync(null, "get", "deployment", "web");
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.Stderr);
    }

    [Fact]
    public async Task GetAll_ListsTheAllCategory_AndDeleteCollectionDeletesWhatTheSelectorMatches()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "all-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "-f", "-");
        await kubectl.OkAsync(Deployment, "apply", "-f", "-");
        await kubectl.OkAsync("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n", "apply", "-f", "-");
        await kubectl.OkAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: {a: b}\n", "apply", "-f", "-");

        // "all" is a discovery category: Pods, Services, Deployments and ReplicaSets, not ConfigMaps.
        var all = await kubectl.OkAsync(null, "get", "all", "-o", "name");
        Assert.Contains("service/web", all);
        Assert.Contains("deployment.apps/web", all);
        Assert.DoesNotContain("configmap", all);

        // deletecollection, as the Kubernetes clients call it: DELETE on the collection with a selector.
        for (var i = 0; i < 3; i++)
            await kubectl.OkAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: batch-{i}\n  labels: {{batch: \"{(i < 2 ? "x" : "y")}\"}}\n", "apply", "-f", "-");
        var deleted = await kubectl.OkAsync(null, "delete", "--raw", $"/api/v1/namespaces/{ns}/configmaps?labelSelector=batch%3Dx");
        var names = System.Text.Json.Nodes.JsonNode.Parse(deleted)!["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).Order();
        Assert.Equal(["batch-0", "batch-1"], names);
        Assert.Equal("configmap/batch-2\nconfigmap/settings\n", await kubectl.OkAsync(null, "get", "configmaps", "-o", "name"));
    }

    [Fact]
    public async Task BadRequests_GetKubernetesReasonsAndCodes_StaleResourceVersionIsAConflict()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");
        await kubectl.OkAsync(Deployment.Replace("name: web", "name: stale"), "apply", "-f", "-");
        var rv = await kubectl.OkAsync(null, "get", "deployment", "stale", "-o", "jsonpath={.metadata.resourceVersion}");
        await kubectl.OkAsync(null, "scale", "deployment/stale", "--replicas=3");

        // A replace that names the resourceVersion it read, after someone else wrote: 409 Conflict.
        var stale = Deployment.Replace("name: web", $"name: stale\n  resourceVersion: \"{rv}\"");
        var conflict = await kubectl.RunAsync(stale, "replace", "-f", "-");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("Error from server (Conflict)", conflict.Stderr);
        Assert.Contains("the object has been modified; please apply your changes to the latest version and try again", conflict.Stderr);

        var missing = await kubectl.RunAsync(null, "patch", "deployment", "absent", "--type", "merge", "-p", "{}");
        Assert.Contains("Error from server (NotFound): deployments.apps \"absent\" not found", missing.Stderr);

        // Server-side apply without a field manager is a 422 naming it (kubectl always sends one; a raw client may not).
        var noManager = await kubectl.RunAsync(null, "patch", "--raw", "/apis/apps/v1/namespaces/default/deployments/stale", "-p", "{}");
        Assert.NotEqual(0, noManager.ExitCode);
    }

    private static async Task NextLineAsync(System.Threading.Channels.ChannelReader<string> lines, string pattern)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        try
        {
            await foreach (var line in lines.ReadAllAsync(timeout.Token))
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(line, pattern)) return;
                seen.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
        }
        Assert.Fail($"kubectl get -w printed no line matching {pattern}; it printed: {string.Join(" | ", seen)}");
    }

    private static Task<string> Containers(KubectlSession kubectl) => kubectl.OkAsync(null, "get", "deployment", "web", "-o",
        "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}");
}
