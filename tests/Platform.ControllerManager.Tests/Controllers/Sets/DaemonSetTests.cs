using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Sets;

/// <summary>DaemonSets end to end: controller-manager, real node agents, dockerd, the apiserver process.</summary>
[Collection(ControllerCollection.Name)]
public sealed class DaemonSetTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    /// <summary>This test's nodes carry this label (the cluster is shared: other tests' nodes must not count).</summary>
    private string Pool => _scope.Namespace;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    private Task<Platform.Testing.Cluster.NodeAgentHost> StartNodeAsync(string node) =>
        _scope.StartAgentAsync(node, s => s["NodeAgent:Labels:pool"] = Pool);

    private DaemonSet Daemon(string name, string version = "v1", string strategy = "RollingUpdate") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = new ObjectMeta { Name = name },
        Spec = new DaemonSetSpec
        {
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            UpdateStrategy = new DaemonSetUpdateStrategy { Type = strategy },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { NodeSelector = new() { ["pool"] = Pool }, TerminationGracePeriodSeconds = 1, Containers = [ClusterApi.HttpdContainer(version: version)] },
            },
        },
    };

    private string Path(string plural, string? name = null) =>
        $"/apis/apps/v1/namespaces/{_scope.Namespace}/{plural}" + (name is null ? "" : "/" + name);

    private async Task<List<Pod>> PodsAsync(string app) =>
        (await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3D{app}")).Where(p => p.Metadata.DeletionTimestamp is null).ToList();

    private Task<List<Pod>> WaitPodsAsync(string app, Func<List<Pod>, bool> done, string what, int seconds = 90) =>
        Eventually.WaitAsync(async () => await PodsAsync(app) is var pods && done(pods) ? pods : null, TimeSpan.FromSeconds(seconds), what, TimeSpan.FromMilliseconds(250));

    private static string Version(Pod p) => p.Spec.Containers[0].Env!.Single(e => e.Name == "VERSION").Value!;

    [Fact]
    public async Task DaemonSet_RunsOnePodPerFittingNode_FollowsAJoiningNode_AndSkipsTaintedAndUnselectedNodes()
    {
        string[] nodes = [ClusterApi.NewName("ds-a"), ClusterApi.NewName("ds-b"), ClusterApi.NewName("ds-c")];
        foreach (var n in nodes) await StartNodeAsync(n);
        await _scope.Admin.CreateAsync(Path("daemonsets"), Daemon("agent"));

        var pods = await WaitPodsAsync("agent", p => p.Count == 3 && p.All(x => x.IsReady()), "3 ready daemon pods");
        Assert.Equal(nodes.Order(), pods.Select(p => p.Spec.NodeName!).Order());
        Assert.All(pods, p => Assert.Equal(p.Spec.NodeName, p.Spec.Affinity!.NodeAffinity!.RequiredDuringSchedulingIgnoredDuringExecution!.NodeSelectorTerms[0].MatchFields![0].Values![0]));
        Assert.All(pods, p => Assert.Contains(p.Spec.Tolerations!, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute"));

        // A node of the pool with a taint the DaemonSet does not tolerate, and one outside the pool: no pods for them.
        var tainted = ClusterApi.NewName("ds-tainted");
        var outside = ClusterApi.NewName("ds-outside");
        await _scope.StartAgentAsync(tainted, s =>
        {
            s["NodeAgent:Labels:pool"] = Pool;
            s["NodeAgent:Taints:0"] = "dedicated=db:NoSchedule";
        });
        await _scope.StartAgentAsync(outside, s => s["NodeAgent:Labels:pool"] = "other");
        var joining = ClusterApi.NewName("ds-d");
        await StartNodeAsync(joining);
        pods = await WaitPodsAsync("agent", p => p.Count == 4 && p.All(x => x.IsReady()), "a ready daemon pod on the joining node");
        Assert.Contains(pods, p => p.Spec.NodeName == joining);
        Assert.DoesNotContain(pods, p => p.Spec.NodeName == tainted || p.Spec.NodeName == outside);
        var ds = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<DaemonSet>(Path("daemonsets", "agent")) is { Status: { NumberAvailable: 4 } } d ? d : null,
            TimeSpan.FromSeconds(30), "status: 4 available");
        Assert.Equal(4, ds.Status!.DesiredNumberScheduled);
        Assert.Equal(4, ds.Status.CurrentNumberScheduled);
        Assert.Equal(4, ds.Status.NumberReady);
        Assert.Equal(4, ds.Status.UpdatedNumberScheduled);
        Assert.Equal(0, ds.Status.NumberMisscheduled);
        Assert.Equal(ds.Metadata.Generation, ds.Status.ObservedGeneration);

        // Tolerating the taint puts a pod on that node too; the outside node still gets none.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("daemonsets", "agent"), JsonNode.Parse(
            """{"spec":{"template":{"spec":{"tolerations":[{"key":"dedicated","operator":"Equal","value":"db","effect":"NoSchedule"}]}}}}"""));
        pods = await WaitPodsAsync("agent", p => p.Count == 5 && p.All(x => x.IsReady() && x.Spec.Tolerations!.Any(t => t.Key == "dedicated")), "5 ready pods that tolerate the taint", 120);
        Assert.Contains(pods, p => p.Spec.NodeName == tainted);
        Assert.DoesNotContain(pods, p => p.Spec.NodeName == outside);

        // A node that leaves takes its daemon pod with it (a Node without an agent: its pod stays Pending until then).
        var leaving = ClusterApi.NewName("ds-leaving");
        await _scope.Admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = leaving, Labels = new() { ["pool"] = Pool } } });
        await WaitPodsAsync("agent", p => p.Any(x => x.Spec.NodeName == leaving), "a pod for the new node");
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/nodes/{leaving}");
        await WaitPodsAsync("agent", p => p.Count == 5 && p.All(x => x.Spec.NodeName != leaving), "the departed node's pod deleted");
    }

    [Fact]
    public async Task RollingUpdate_ReplacesPodsNodeByNode_RevisionsAreKept_AndOnDeleteWaitsForDeletion()
    {
        string[] nodes = [ClusterApi.NewName("ds-r1"), ClusterApi.NewName("ds-r2"), ClusterApi.NewName("ds-r3")];
        foreach (var n in nodes) await StartNodeAsync(n);
        await _scope.Admin.CreateAsync(Path("daemonsets"), Daemon("roll"));
        await WaitPodsAsync("roll", p => p.Count == 3 && p.All(x => x.IsReady()), "3 ready v1 pods");

        await PatchTemplateAsync("roll", "v2");
        var fewestReady = int.MaxValue;
        await WaitPodsAsync("roll", pods =>
        {
            fewestReady = Math.Min(fewestReady, pods.Count(p => p.IsReady()));
            return pods.Count == 3 && pods.All(p => p.IsReady() && Version(p) == "v2");
        }, "all pods v2", 120);
        Assert.True(fewestReady >= 2, $"ready pods fell to {fewestReady} (3 nodes, maxUnavailable 1)");

        var revisions = (await _scope.Admin.ListAsync<ControllerRevision>(Path("controllerrevisions"))).OrderBy(r => r.Revision).ToList();
        Assert.Equal([1L, 2L], revisions.Select(r => r.Revision));
        Assert.All(revisions, r => Assert.Equal("roll", r.Metadata.Labels!["app"]));
        Assert.All(revisions, r => Assert.StartsWith("roll-" + r.Metadata.Labels![ControllerRevision.HashLabel], r.Metadata.Name));
        Assert.Equal("v2", revisions[1].Data!["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>());
        Assert.All(await PodsAsync("roll"), p => Assert.Equal(revisions[1].Metadata.Labels![ControllerRevision.HashLabel], p.Metadata.Labels![ControllerRevision.HashLabel]));

        // OnDelete: a new template touches nothing until a pod is deleted; its replacement has the new template.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("daemonsets", "roll"), JsonNode.Parse("""{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null}}}"""));
        await PatchTemplateAsync("roll", "v3");
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<ControllerRevision>(Path("controllerrevisions"))).Count == 3, TimeSpan.FromSeconds(20), "revision 3");
        await Task.Delay(TimeSpan.FromSeconds(3)); // what OnDelete must not do would have started by now
        var pods = await PodsAsync("roll");
        Assert.All(pods, p => Assert.Equal("v2", Version(p)));
        var victim = pods[0];
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/{victim.Metadata.Name}");
        pods = await WaitPodsAsync("roll", p => p.Count == 3 && p.All(x => x.IsReady()) && p.Any(x => Version(x) == "v3"), "the deleted pod replaced by a v3 pod");
        Assert.Equal("v3", Version(pods.Single(p => p.Spec.NodeName == victim.Spec.NodeName)));
        Assert.Equal(2, pods.Count(p => Version(p) == "v2"));

        // History beyond revisionHistoryLimit goes, except what pods still run: revision 1 only.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("daemonsets", "roll"), JsonNode.Parse("""{"spec":{"revisionHistoryLimit":0}}"""));
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<ControllerRevision>(Path("controllerrevisions"))).Select(r => r.Revision).Order().SequenceEqual([2L, 3L]),
            TimeSpan.FromSeconds(20), "revision 1 pruned, 2 (still running) and 3 kept");
    }

    private Task PatchTemplateAsync(string name, string version) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, Path("daemonsets", name), new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = JsonSerializer.SerializeToNode(Daemon(name, version).Spec.Template, ResourceJson.Options) },
        });
}
