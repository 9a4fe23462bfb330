using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.NodeAgent.Tests.Registration;

[Collection(ClusterCollection.Name)]
public sealed class NodeRegistrationTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Agent_RegistersItsNode_WithCapacityLabelsTaints_AndRenewsTheHeartbeat()
    {
        var token = await _admin.CreateNodeTokenAsync(_node);
        _agent = await NodeAgentHost.StartAsync(cluster, _node, token, s =>
        {
            s["NodeAgent:Cpu"] = "3";
            s["NodeAgent:Memory"] = "2Gi";
            s["NodeAgent:Labels:zone"] = "a";
            s["NodeAgent:Taints:0"] = "dedicated=batch:NoSchedule";
        });

        var node = await Eventually.WaitAsync(async () => await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}") is { Status.Conditions: not null } n ? n : null,
            TimeSpan.FromSeconds(30), "node registered with status");
        Assert.Equal("3", node.Status!.Capacity!["cpu"]);
        Assert.Equal("2Gi", node.Status.Capacity["memory"]);
        Assert.Equal("a", node.Metadata.Labels!["zone"]);
        var taint = Assert.Single(node.Spec.Taints!);
        Assert.Equal(("dedicated", "batch", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.NotNull(node.Status.PortRange);
        var first = node.Status.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal("True", first.Status);

        await Eventually.WaitAsync(async () =>
        {
            var later = await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}");
            return later!.Status!.Conditions!.Single(c => c.Type == "Ready").LastHeartbeatTime > first.LastHeartbeatTime;
        }, TimeSpan.FromSeconds(10), "heartbeat renewed");
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        _admin.Dispose();
    }
}
