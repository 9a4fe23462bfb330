using System.Text.Json.Nodes;
using Xunit;

namespace Platform.Testing.Kubernetes;

/// <summary>The official Node Kubernetes client from npm, and a script that drives it from a kubeconfig.</summary>
public sealed class KubernetesNodeClientPackage() : NodePackages("@kubernetes/client-node@1.4.0")
{
    /// <summary>
    /// From the kubeconfig in argv[2], in namespace argv[3]: create a pod while watching, see it ADDED, merge-patch a
    /// label, list by label, create and read a deployment, delete both; prints one JSON line of what it saw.
    /// </summary>
    public const string Script = """
        const k8s = require('@kubernetes/client-node');
        const [kubeconfig, ns] = [process.argv[2], process.argv[3]];
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(kubeconfig);
        const core = kc.makeApiClient(k8s.CoreV1Api);
        const apps = kc.makeApiClient(k8s.AppsV1Api);
        (async () => {
          const out = {};
          let resolveAdded;
          const added = new Promise(r => { resolveAdded = r; });
          const watch = new k8s.Watch(kc);
          const req = await watch.watch(`/api/v1/namespaces/${ns}/pods`, {}, (type, obj) => {
            if (type === 'ADDED' && obj.metadata.name === 'web-1') resolveAdded(obj.metadata.uid);
          }, () => {});
          const created = await core.createNamespacedPod({ namespace: ns, body: {
            metadata: { name: 'web-1', labels: { app: 'web' } },
            spec: { containers: [{ name: 'httpd', image: 'platform/busybox:latest' }] } } });
          out.createdUid = created.metadata.uid;
          out.createdAt = created.metadata.creationTimestamp instanceof Date;
          out.watchedUid = await Promise.race([added, new Promise((_, no) => setTimeout(() => no(new Error('no ADDED event in 20 s')), 20000))]);
          req.abort();
          await core.patchNamespacedPod({ name: 'web-1', namespace: ns, body: { metadata: { labels: { tier: 'front' } } } },
            k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
          out.byLabel = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'tier=front' })).items.map(p => p.metadata.name);
          await apps.createNamespacedDeployment({ namespace: ns, body: {
            metadata: { name: 'web' },
            spec: { replicas: 2, selector: { matchLabels: { app: 'web' } },
                    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'httpd', image: 'platform/busybox:latest' }] } } } } });
          out.replicas = (await apps.readNamespacedDeployment({ name: 'web', namespace: ns })).spec.replicas;
          await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns });
          await core.deleteNamespacedPod({ name: 'web-1', namespace: ns });
          // Where node agents run the pods, deletion is graceful: wait (at most 60 s) until they let go.
          for (let i = 0; i < 120; i++) {
            out.left = (await core.listNamespacedPod({ namespace: ns })).items.length;
            if (out.left === 0) break;
            await new Promise(r => setTimeout(r, 500));
          }
          process.stdout.write(JSON.stringify(out));
          process.exit(0);
        })().catch(err => { process.stderr.write(String(err && (err.body ? JSON.stringify(err.body) : err.stack) || err)); process.exit(2); });
        """;

    /// <summary>Runs <see cref="Script"/> from <paramref name="kubeconfig"/> in the existing namespace <paramref name="ns"/> and checks what it saw.</summary>
    public async Task RunScenarioAsync(string kubeconfig, string ns)
    {
        var result = await RunScriptAsync("client.js", Script, [kubeconfig, ns], TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, $"@kubernetes/client-node exited {result.ExitCode}: {result.Stderr}");
        var seen = JsonNode.Parse(result.Stdout)!;
        Assert.Equal((string?)seen["createdUid"], (string?)seen["watchedUid"]);
        Assert.True((bool)seen["createdAt"]!, "creationTimestamp parses as a Date");
        Assert.Equal(["web-1"], seen["byLabel"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(2, (int)seen["replicas"]!);
        Assert.Equal(0, (int)seen["left"]!);
    }
}
