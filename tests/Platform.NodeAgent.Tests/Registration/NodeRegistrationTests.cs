using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Registration;

[Collection(ClusterCollection.Name)]
public sealed class NodeRegistrationTests(ClusterFixture cluster, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    private string LeasePath => $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{_node}";

    [Fact]
    public async Task Agent_RegistersItsNode_WithCapacityLabelsTaints()
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
        Assert.Equal("True", node.Status.Conditions!.Single(c => c.Type == "Ready").Status);
        // kubelet's nodeInfo, which kubectl get nodes -o wide prints: the host's kernel, OS image and Docker engine.
        var info = node.Status.NodeInfo!;
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), info.KernelVersion);
        Assert.StartsWith("docker://", info.ContainerRuntimeVersion, StringComparison.Ordinal);
        Assert.Equal(("linux", "v1.32.0-platform"), (info.OperatingSystem, info.KubeletVersion));
        Assert.False(string.IsNullOrEmpty(info.OSImage));
    }

    [Fact]
    public async Task Agent_HeartbeatsOnItsLease_WithoutRewritingTheNodeStatus_AndReReportsAStatusSomeoneElseChanged()
    {
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
        var first = await Eventually.WaitAsync(() => _admin.GetAsync<Lease>(LeasePath), TimeSpan.FromSeconds(30), "node lease created");
        var node = (await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}"))!;
        Assert.Equal(_node, first.Spec.HolderIdentity);
        Assert.Equal(40, first.Spec.LeaseDurationSeconds);
        var owner = Assert.Single(first.Metadata.OwnerReferences!);
        Assert.Equal(("Node", _node, node.Metadata.Uid), (owner.Kind, owner.Name, owner.Uid));

        // Three renewals (every second here) while the Node object is not written once.
        var renewTimes = new HashSet<DateTimeOffset> { first.Spec.RenewTime!.Value };
        await Eventually.WaitAsync(async () =>
        {
            renewTimes.Add((await _admin.GetAsync<Lease>(LeasePath))!.Spec.RenewTime!.Value);
            return renewTimes.Count >= 4;
        }, TimeSpan.FromSeconds(20), "lease renewed three times");
        Assert.True(renewTimes.Max() > first.Spec.RenewTime);
        var later = (await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}"))!;
        Assert.Equal(node.Metadata.ResourceVersion, later.Metadata.ResourceVersion);
        // What each heartbeat writes and publishes now (a Lease), against what it used to (the whole Node).
        var leaseBytes = (await _admin.GetStringAsync(LeasePath)).Length;
        var nodeBytes = (await _admin.GetStringAsync($"/api/v1/nodes/{_node}")).Length;
        output.WriteLine($"per heartbeat: Lease {leaseBytes} bytes written to platform.leases instead of Node {nodeBytes} bytes to platform.nodes");

        // The node lifecycle controller (here the admin) says Unknown: the agent's next heartbeat puts Ready back.
        await ClusterApi.SendAsync(_admin, HttpMethod.Patch, $"/api/v1/nodes/{_node}/status",
            System.Text.Json.Nodes.JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown"}]}}"""));
        await Eventually.WaitAsync(async () => (await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}"))!.Status!.Conditions!.Single(c => c.Type == "Ready").Status == "True",
            TimeSpan.FromSeconds(10), "Ready reported again");
    }

    [Fact]
    public async Task DeletedNode_TakesItsLeaseAlong_AndTheAgentRegistersBothAgain()
    {
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
        var first = await Eventually.WaitAsync(() => _admin.GetAsync<Lease>(LeasePath), TimeSpan.FromSeconds(30), "node lease created");
        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/nodes/{_node}");

        var node = await Eventually.WaitAsync(() => _admin.GetAsync<Node>($"/api/v1/nodes/{_node}"), TimeSpan.FromSeconds(20), "node registered again");
        Assert.NotEqual(first.Metadata.OwnerReferences![0].Uid, node.Metadata.Uid);
        var lease = await Eventually.WaitAsync(async () => await _admin.GetAsync<Lease>(LeasePath) is { } l && l.Metadata.OwnerReferences?[0].Uid == node.Metadata.Uid ? l : null,
            TimeSpan.FromSeconds(20), "lease created again, owned by the new Node");
        Assert.NotEqual(first.Metadata.Uid, lease.Metadata.Uid);
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        _admin.Dispose();
    }
}
