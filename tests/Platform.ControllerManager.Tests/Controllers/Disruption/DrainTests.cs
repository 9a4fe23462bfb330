using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Disruption;

/// <summary>
/// Two node agents, the scheduler and the controller-manager: the disruption controller keeps a PodDisruptionBudget's
/// status, and draining one node (as kubectl drain does) evicts its pods through the eviction API, waiting out the 429s the
/// budget answers until the Deployment's replacements run on the other node.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class DrainTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _nodeA = ClusterApi.NewName("drain-a");
    private readonly string _nodeB = ClusterApi.NewName("drain-b");
    private readonly string _group = Guid.NewGuid().ToString("N")[..8];
    private TestScope _scope = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        // Labelled so the pods go to these two agents only, never to Nodes other tests left on the shared apiserver.
        await _scope.StartAgentAsync(_nodeA, s => s["NodeAgent:Labels:drain-test"] = _group);
        await _scope.StartAgentAsync(_nodeB, s => s["NodeAgent:Labels:drain-test"] = _group);
        foreach (var node in new[] { _nodeA, _nodeB })
            await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{node}") is not null, TimeSpan.FromSeconds(30), $"Node {node} registered");
        await _scope.StartControllersAsync();
        _scheduler = await _scope.StartSchedulerAsync();
    }

    private Task CordonAsync(string node, bool unschedulable) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/nodes/{node}", new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = unschedulable } });

    /// <summary>
    /// What <c>kubectl drain</c> does (kubectl's own drain runs against an HTTPS apiserver in
    /// Platform.ApiServer.Tests/Kubectl/KubectlDrainTests): cordon, list the node's pods by field selector, evict each,
    /// retrying every refusal the budget answers with 429. Returns how many evictions were refused.
    /// </summary>
    private async Task<int> DrainAsync(string node, TimeSpan timeout)
    {
        await CordonAsync(node, true);
        var pods = await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?fieldSelector=spec.nodeName%3D{node}");
        var refused = 0;
        using var cts = new CancellationTokenSource(timeout);
        foreach (var pod in pods)
        {
            while (true)
            {
                using var r = await _scope.Admin.PostAsync($"/api/v1/namespaces/{_scope.Namespace}/pods/{pod.Metadata.Name}/eviction", JsonContent.Create(new JsonObject
                {
                    ["apiVersion"] = "policy/v1", ["kind"] = "Eviction", ["metadata"] = new JsonObject { ["name"] = pod.Metadata.Name },
                }), cts.Token);
                if ((int)r.StatusCode == 201) break;
                Assert.True((int)r.StatusCode == 429, $"eviction of {pod.Metadata.Name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(cts.Token)}");
                Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", await r.Content.ReadAsStringAsync(cts.Token));
                refused++;
                await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
            }
        }
        return refused;
    }

    private Task<string> DescribeAsync() => ClusterDescribe.PodsAsync(_scope.Admin, _scope.Namespace, "app=web");

    private Task<List<Pod>> PodsAsync() => _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3Dweb");

    [Fact]
    public async Task Drain_EvictsThePodsRespectingTheBudget_AndTheDeploymentRunsOnTheOtherNode()
    {
        // Everything starts on node A.
        await CordonAsync(_nodeB, true);
        // The scheduler follows Nodes through Kafka: until its informer holds the cordon, it may still place a pod on B.
        await Eventually.WaitAsync(() => Task.FromResult(_scheduler.SeenNode(_nodeB)?.Spec.Unschedulable == true), TimeSpan.FromSeconds(30), "the scheduler sees node B cordoned");
        var template = ClusterApi.HttpdPod("x", null, new() { ["app"] = "web" });
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments", new Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new ObjectMeta { Name = "web" },
            Spec = new DeploymentSpec
            {
                Replicas = 3,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
                Template = new PodTemplateSpec { Metadata = template.Metadata with { Name = null }, Spec = template.Spec with { SchedulerName = _scheduler.SchedulerName, NodeSelector = new() { ["drain-test"] = _group } } },
            },
        });
        await _scope.Admin.CreateAsync($"/apis/policy/v1/namespaces/{_scope.Namespace}/poddisruptionbudgets", new PodDisruptionBudget
        {
            ApiVersion = "policy/v1", Kind = "PodDisruptionBudget", Metadata = new ObjectMeta { Name = "web" },
            Spec = new PodDisruptionBudgetSpec { MinAvailable = 2, Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } } },
        });
        await Eventually.WaitAsync(async () => (await PodsAsync()) is { Count: 3 } pods && pods.All(p => p.Spec.NodeName == _nodeA && p.IsReady()),
            TimeSpan.FromSeconds(90), "three ready pods on node A", DescribeAsync);

        // The disruption controller's view: three healthy, two needed, one disruption allowed.
        var status = await Eventually.WaitAsync(async () =>
            (await _scope.Admin.GetAsync<PodDisruptionBudget>($"/apis/policy/v1/namespaces/{_scope.Namespace}/poddisruptionbudgets/web"))?.Status is { CurrentHealthy: 3 } s ? s : null,
            TimeSpan.FromSeconds(30), "the budget's status counts three healthy pods");
        Assert.Equal((3, 2, 1), (status.ExpectedPods, status.DesiredHealthy, status.DisruptionsAllowed));
        Assert.Contains(status.Conditions!, c => c.Type == "DisruptionAllowed" && c.Status == "True" && c.Reason == "SufficientPods");

        await CordonAsync(_nodeB, false);
        var refused = await DrainAsync(_nodeA, TimeSpan.FromSeconds(150));
        // Only one pod could go at first: the others were refused until replacements were ready on node B.
        Assert.True(refused > 0, "the budget refused no eviction");

        var node = await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{_nodeA}");
        Assert.True(node!.Spec.Unschedulable);
        await Eventually.WaitAsync(async () => (await PodsAsync()) is { Count: 3 } pods && pods.All(p => p.Spec.NodeName == _nodeB && p.IsReady()),
            TimeSpan.FromSeconds(60), "three ready pods on node B", DescribeAsync);
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
    }
}
