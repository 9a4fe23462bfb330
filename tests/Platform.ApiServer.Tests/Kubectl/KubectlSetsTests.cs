using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl on DaemonSets, StatefulSets and ControllerRevisions (apps/v1): the columns, <c>scale</c>, <c>rollout
/// history</c> and <c>rollout undo</c> over revisions made as the controller-manager makes them, and refusals.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlSetsTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static string DaemonSet(string image) => """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              nodeSelector: {pool: edge}
              containers: [{name: web, image: "IMAGE"}]
        """.Replace("IMAGE", image, StringComparison.Ordinal);

    private static string StatefulSet(string image) => """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "IMAGE", volumeMounts: [{name: data, mountPath: /data}]}]
          volumeClaimTemplates:
            - metadata: {name: data}
              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """.Replace("IMAGE", image, StringComparison.Ordinal);

    [Fact]
    public async Task Sets_HaveKubectlsColumns_Scale_AndRollBackThroughTheirRevisions()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps);
        var ns = "sets-" + Guid.NewGuid().ToString("N")[..8];
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await kubectl.OkAsync(null, "create", "namespace", ns);

        Assert.Equal("daemonset.apps/agent created\n", await kubectl.OkAsync(DaemonSet("busybox:1.36"), "apply", "-f", "-"));
        Assert.Equal("statefulset.apps/web created\n", await kubectl.OkAsync(StatefulSet("busybox:1.36"), "apply", "-f", "-"));
        var ds = (await kubectl.OkAsync(null, "get", "ds")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$", ds[0]);
        Assert.Matches(@"^agent\s+0\s+0\s+0\s+0\s+0\s+pool=edge\s+\S+$", ds[1]);
        var sts = (await kubectl.OkAsync(null, "get", "sts")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+READY\s+AGE$", sts[0]);
        Assert.Matches(@"^web\s+0/3\s+\S+$", sts[1]);
        // The defaults Kubernetes fills in.
        Assert.Equal("RollingUpdate 1 0 10", await kubectl.OkAsync(null, "get", "ds", "agent", "-o",
            "jsonpath={.spec.updateStrategy.type} {.spec.updateStrategy.rollingUpdate.maxUnavailable} {.spec.updateStrategy.rollingUpdate.maxSurge} {.spec.revisionHistoryLimit}"));
        Assert.Equal("OrderedReady RollingUpdate 0 10 Retain Retain", await kubectl.OkAsync(null, "get", "sts", "web", "-o",
            "jsonpath={.spec.podManagementPolicy} {.spec.updateStrategy.type} {.spec.updateStrategy.rollingUpdate.partition} {.spec.revisionHistoryLimit} " +
            "{.spec.persistentVolumeClaimRetentionPolicy.whenDeleted} {.spec.persistentVolumeClaimRetentionPolicy.whenScaled}"));

        Assert.Equal("statefulset.apps/web scaled\n", await kubectl.OkAsync(null, "scale", "sts", "web", "--replicas=5"));
        Assert.Equal("5", await kubectl.OkAsync(null, "get", "sts", "web", "-o", "jsonpath={.spec.replicas}"));

        // Two revisions of each, as the controller-manager records them; then undo.
        foreach (var (plural, name, apply) in new[] { ("daemonsets", "agent", (Func<string, string>)DaemonSet), ("statefulsets", "web", StatefulSet) })
        {
            await RecordRevisionAsync(kubectl, plural, name, 1);
            await kubectl.OkAsync(apply("busybox:1.37"), "apply", "-f", "-");
            await RecordRevisionAsync(kubectl, plural, name, 2);
            var kind = plural[..^1];
            var history = await kubectl.OkAsync(null, "rollout", "history", $"{kind}/{name}");
            Assert.Matches(@"REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>", history);
            Assert.Contains("busybox:1.36", await kubectl.OkAsync(null, "rollout", "history", $"{kind}/{name}", "--revision=1"));
            Assert.Equal($"{kind}.apps/{name} rolled back\n", await kubectl.OkAsync(null, "rollout", "undo", $"{kind}/{name}"));
            Assert.Equal("busybox:1.36", await kubectl.OkAsync(null, "get", plural, name, "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
        }
        var revisions = (await kubectl.OkAsync(null, "get", "controllerrevisions")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CONTROLLER\s+REVISION\s+AGE$", revisions[0]);
        Assert.Contains(revisions, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^web-\S+\s+statefulset\.apps/web\s+2\s+\S+$"));
        Assert.Contains(revisions, r => System.Text.RegularExpressions.Regex.IsMatch(r, @"^agent-\S+\s+daemonset\.apps/agent\s+1\s+\S+$"));

        // rollout restart stamps the template; rollout status reads the status the controller writes.
        Assert.Equal("daemonset.apps/agent restarted\n", await kubectl.OkAsync(null, "rollout", "restart", "ds/agent"));
        Assert.NotEmpty(await kubectl.OkAsync(null, "get", "ds", "agent", "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}"));
        var generation = await kubectl.OkAsync(null, "get", "ds", "agent", "-o", "jsonpath={.metadata.generation}");
        await kubectl.OkAsync(null, "patch", "ds", "agent", "--subresource=status", "--type=merge", "-p",
            $$$"""{"status":{"observedGeneration":{{{generation}}},"desiredNumberScheduled":2,"currentNumberScheduled":2,"numberReady":2,"updatedNumberScheduled":2,"numberAvailable":2,"numberMisscheduled":0}}""");
        Assert.Equal("daemon set \"agent\" successfully rolled out\n", await kubectl.OkAsync(null, "rollout", "status", "ds/agent", "--timeout=10s"));
        generation = await kubectl.OkAsync(null, "get", "sts", "web", "-o", "jsonpath={.metadata.generation}");
        await kubectl.OkAsync(null, "patch", "sts", "web", "--subresource=status", "--type=merge", "-p",
            $$$"""{"status":{"observedGeneration":{{{generation}}},"replicas":5,"readyReplicas":5,"updatedReplicas":5}}""");
        Assert.Equal("partitioned roll out complete: 5 new pods have been updated...\n", await kubectl.OkAsync(null, "rollout", "status", "sts/web", "--timeout=10s"));
    }

    /// <summary>A ControllerRevision of the owner's current template, as the controller-manager writes it.</summary>
    private static async Task RecordRevisionAsync(KubectlSession kubectl, string plural, string name, long revision)
    {
        var owner = JsonNode.Parse(await kubectl.OkAsync(null, "get", plural, name, "-o", "json"))!;
        var template = owner["spec"]!["template"]!.DeepClone().AsObject();
        template["$patch"] = "replace";
        var hash = $"rev{revision}";
        var body = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ControllerRevision",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{name}-{hash}",
                ["labels"] = new JsonObject { ["app"] = name, ["controller-revision-hash"] = hash },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = owner["kind"]!.GetValue<string>(), ["name"] = name,
                    ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["data"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } },
            ["revision"] = revision,
        };
        await kubectl.OkAsync(body.ToJsonString(), "create", "-f", "-");
    }
}
