using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Two agents, one killed with SIGKILL: its node goes NotReady and its pods come back on the other node.</summary>
[Collection(ControllerCollection.Name)]
public sealed class NodeFailoverTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _nodeA = ClusterApi.NewName("node-a");
    private readonly string _nodeB = ClusterApi.NewName("node-b");
    private NodeAgentProcess? _agentA;
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        _agentA = await _scope.StartAgentProcessAsync(_nodeA);
        await _scope.StartAgentAsync(_nodeB);
        await _scope.StartControllersAsync(s =>
        {
            s["ControllerManager:NodeMonitorPeriod"] = "00:00:00.200";
            s["ControllerManager:NodeMonitorGracePeriod"] = "00:00:04";
            s["ControllerManager:PodEvictionTimeout"] = "00:00:02";
        });
    }

    /// <summary>Plays the scheduler's part through the binding subresource: every unbound pod goes to <paramref name="node"/>.</summary>
    private async Task<List<Pod>> BindUnboundAsync(string node)
    {
        var pods = await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3Dha");
        foreach (var p in pods.Where(p => p.Spec.NodeName is null))
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/pods/{p.Metadata.Name}/binding", new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Binding", ["metadata"] = new JsonObject { ["name"] = p.Metadata.Name },
                ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node },
            });
        }
        return pods;
    }

    [Fact]
    public async Task KilledAgent_NodeGoesNotReady_AndItsPodsComeBackOnTheOtherNode()
    {
        var template = ClusterApi.HttpdPod("x", null, new() { ["app"] = "ha" });
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments", new Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new ObjectMeta { Name = "ha" },
            Spec = new DeploymentSpec
            {
                Replicas = 2,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "ha" } },
                Template = new PodTemplateSpec { Metadata = template.Metadata with { Name = null }, Spec = template.Spec },
            },
        });
        await Eventually.WaitAsync(async () =>
        {
            var pods = await BindUnboundAsync(_nodeA);
            return pods.Count == 2 && pods.All(p => p.Spec.NodeName == _nodeA && p.IsReady());
        }, TimeSpan.FromSeconds(60), "two ready pods on node A");

        await _agentA!.KillAsync();

        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{_nodeA}") is { } n
            && n.Status!.Conditions!.Single(c => c.Type == "Ready").Status == "Unknown"
            && n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable") == true, TimeSpan.FromSeconds(30), "node A NotReady and tainted");
        var moved = await Eventually.WaitAsync(async () =>
        {
            var pods = await BindUnboundAsync(_nodeB);
            return pods.Count == 2 && pods.All(p => p.Spec.NodeName == _nodeB && p.IsReady()) ? pods : null;
        }, TimeSpan.FromSeconds(60), "two ready pods on node B");
        using var http = new HttpClient();
        foreach (var p in moved) Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{p.Status!.AllocatedPorts!["http"]}/index.html"));
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
