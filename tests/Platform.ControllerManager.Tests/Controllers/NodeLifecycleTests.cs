using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

[Collection(ControllerCollection.Name)]
public sealed class NodeLifecycleTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent; // started and stopped by the test itself
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync(s =>
        {
            s["ControllerManager:NodeMonitorPeriod"] = "00:00:00.200";
            s["ControllerManager:NodeMonitorGracePeriod"] = "00:00:03";
            s["ControllerManager:PodEvictionTimeout"] = "00:00:02";
        });
    }

    private Task<Node> WaitNodeAsync(Func<Node, bool> condition, string what) =>
        Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{_node}") is { } n && condition(n) ? n : null, TimeSpan.FromSeconds(30), what);

    private static bool Tainted(Node n, string effect = "NoExecute") => n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == effect) == true;

    [Fact]
    public async Task SilentNode_BecomesNotReady_IsTainted_ItsPodsAreEvicted_AndARecoveredNodeLosesTheTaint()
    {
        // The node's agent heartbeats, then dies without a word (its host stops).
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _scope.Admin.CreateNodeTokenAsync(_node));
        await WaitNodeAsync(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, "node Ready");
        var evicted = new Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = "evicted" },
            Spec = new PodSpec { NodeName = _node, Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"] }] },
        };
        var tolerant = evicted with
        {
            Metadata = new ObjectMeta { Name = "tolerant" },
            Spec = evicted.Spec with { Tolerations = [new Toleration { Key = "node.kubernetes.io/unreachable", Operator = "Exists", Effect = "NoExecute" }] },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", evicted);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", tolerant);
        await _agent.DisposeAsync();
        _agent = null;

        var notReady = await WaitNodeAsync(n => Tainted(n) && n.Status!.Conditions!.Single(c => c.Type == "Ready").Status == "Unknown", "node NotReady and tainted");
        Assert.Equal("NodeStatusUnknown", notReady.Status!.Conditions!.Single(c => c.Type == "Ready").Reason);
        // NoSchedule as well: a pod that tolerates the NoExecute taint for a while is not scheduled back onto it.
        Assert.True(Tainted(notReady, "NoSchedule"), "the unreachable node has no unreachable:NoSchedule taint");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(_scope.Namespace, "evicted") is null, TimeSpan.FromSeconds(20), "pod evicted");
        Assert.NotNull(await _scope.Admin.GetPodAsync(_scope.Namespace, "tolerant"));
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events")).Any(e => e.Reason == "TaintManagerEviction" && e.InvolvedObject.Name == "evicted"),
            TimeSpan.FromSeconds(10), "TaintManagerEviction event");

        // The agent comes back: heartbeats resume and the taint goes.
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _scope.Admin.CreateNodeTokenAsync(_node));
        await WaitNodeAsync(n => !Tainted(n) && !Tainted(n, "NoSchedule") && n.Status!.Conditions!.Single(c => c.Type == "Ready").Status == "True", "node Ready and untainted");
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await _scope.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
    }
}
