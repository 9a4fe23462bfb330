using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// <c>deploy/kubernetes/</c>, the platform's services for a real Kubernetes cluster, pass <c>kubectl apply
/// --dry-run=server</c> against this apiserver: every object admitted and validated as it would be, nothing stored; and
/// <c>deploy/kubernetes/issue-tokens.sh</c> fills the Secrets of component and node tokens they read.
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

    [Fact]
    public async Task IssueTokens_FillsTheTwoSecretsTheManifestsRead_WithWorkingTokens_AndKeepsThemOnASecondRun()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");
        // This apiserver plays both parts: the platform issuing the tokens, and the Kubernetes cluster keeping the Secrets.
        await kubectl.OkAsync(null, "create", "namespace", "platform-system");
        await kubectl.OkAsync("""
            apiVersion: v1
            kind: Node
            metadata: {name: worker-1, labels: {platform.io/node: "true"}}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: worker-2}
            """, "apply", "-f", "-");

        var first = await IssueTokensAsync(kubectl, host);
        var components = await SecretAsync(kubectl, "platform-component-tokens");
        Assert.Equal(["system-config-server", "system-controller-manager", "system-gateway", "system-scheduler"], components.Keys.Order());
        var nodes = await SecretAsync(kubectl, "platform-node-tokens");
        Assert.Equal(["worker-1"], nodes.Keys);   // worker-2 runs no node agent (not labelled)
        foreach (var token in components.Values.Concat(nodes.Values)) Assert.DoesNotContain(token, first);

        // Each token authenticates as its component (and the node's as that node), with its ClusterRoles bound.
        Assert.Contains("system-gateway", await kubectl.OkAsync(null, "auth", "whoami", "--token=" + components["system-gateway"]));
        Assert.Contains("worker-1", await kubectl.OkAsync(null, "auth", "whoami", "--token=" + nodes["worker-1"]));
        Assert.Equal("yes", (await kubectl.OkAsync(null, "auth", "can-i", "list", "configmaps", "-A", "--token=" + components["system-config-server"])).Trim());

        await IssueTokensAsync(kubectl, host);
        Assert.Equal(components, await SecretAsync(kubectl, "platform-component-tokens"));
        Assert.Equal(nodes, await SecretAsync(kubectl, "platform-node-tokens"));
    }

    private static async Task<string> IssueTokensAsync(KubectlSession kubectl, ApiServerHost host)
    {
        var script = Path.Combine(ManifestsDirectory(), "issue-tokens.sh");
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--kubeconfig=" + kubectl.KubeconfigPath }) psi.ArgumentList.Add(a);
        psi.Environment["PLATFORM_APISERVER"] = host.BaseAddress.ToString().TrimEnd('/');
        psi.Environment["PLATFORM_ADMIN_TOKEN"] = host.AdminToken;
        psi.Environment["PLATFORM_CA_FILE"] = kubectl.CaFile;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        Assert.True(p.ExitCode == 0, $"issue-tokens.sh exited {p.ExitCode}: {await stderr}{await stdout}");
        return await stdout + await stderr;
    }

    private static async Task<Dictionary<string, string>> SecretAsync(KubectlSession kubectl, string name)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(await kubectl.OkAsync(null, "get", "secret", name, "-n", "platform-system", "-o", "json"))!;
        return json["data"]!.AsObject().ToDictionary(kv => kv.Key, kv => System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)kv.Value!)));
    }

    private static string ManifestsDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        return Path.Combine(root?.FullName ?? throw new DirectoryNotFoundException("the repository root (Directory.Build.props)"), "deploy", "kubernetes");
    }
}
