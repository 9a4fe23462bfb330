using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>deploy/kubernetes/</c>, the platform's services for a real Kubernetes cluster, pass <c>kubectl apply
/// --dry-run=server</c> against this apiserver: every object admitted and validated as it would be, nothing stored.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesManifestsTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task TheKubernetesManifests_PassAServerSideDryRun_ObjectByObject_AndStoreNothing()
    {
        var dir = ManifestsDirectory();
        var files = Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 8, $"only {files.Count} manifests in {dir}");
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");
        // A server-side dry run of objects in a namespace that does not exist yet fails in Kubernetes too.
        await kubectl.OkAsync(null, "create", "namespace", "platform-system");

        var output = await kubectl.OkAsync(null, ["apply", "--dry-run=server", .. files.SelectMany(f => new[] { "-f", f })]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var expected in new[]
        {
            "deployment.apps/apiserver", "statefulset.apps/discovery", "service/discovery-peers", "deployment.apps/config-server",
            "deployment.apps/gateway", "horizontalpodautoscaler.autoscaling/gateway", "poddisruptionbudget.policy/gateway",
            "deployment.apps/scheduler", "deployment.apps/controller-manager", "daemonset.apps/node-agent",
            "deployment.apps/connect", "deployment.apps/console", "persistentvolumeclaim/console-keys", "ingress.networking.k8s.io/platform",
        })
            Assert.Contains(lines, l => l.StartsWith(expected + " ", StringComparison.Ordinal) && l.EndsWith("(server dry run)", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith("(server dry run)", l));

        // Nothing was stored.
        Assert.Equal("", await kubectl.OkAsync(null, "get", "deployments,statefulsets,daemonsets,services", "-n", "platform-system", "-o", "name"));
    }

    private static string ManifestsDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        return Path.Combine(root?.FullName ?? throw new DirectoryNotFoundException("the repository root (Directory.Build.props)"), "deploy", "kubernetes");
    }
}
