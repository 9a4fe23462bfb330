using System.Net;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// The node IPAM controller against the shared apiserver. Each test uses a cluster CIDR of its own; nodes other tests
/// left without a podCIDR take subnets too, so the full-range test sizes its range from how many there are.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class NodeIpamTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly List<string> _nodes = [];
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    [Fact]
    public async Task Nodes_GetDistinctCidrs_AndARestartedControllerNeverHandsOneOutTwice()
    {
        var cm = await _scope.StartControllersAsync(s => s["ControllerManager:ClusterCidr"] = "10.201.0.0/16");
        var first = new List<string>();
        for (var i = 0; i < 3; i++) first.Add(await CidrOfAsync(await CreateNodeAsync()));
        Assert.Equal(3, first.Distinct().Count());
        Assert.All(first, c => Assert.StartsWith("10.201.", c));
        Assert.All(first, c => Assert.EndsWith("/24", c));

        // A new instance rebuilds its map from the Nodes: what it hands out next is none of theirs.
        await cm.DisposeAsync();
        await _scope.StartControllersAsync(s => s["ControllerManager:ClusterCidr"] = "10.201.0.0/16");
        var later = new List<string>();
        for (var i = 0; i < 2; i++) later.Add(await CidrOfAsync(await CreateNodeAsync()));
        Assert.Empty(later.Intersect(first));
        Assert.Equal(2, later.Distinct().Count());
        foreach (var n in _nodes)
        {
            var node = (await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{n}"))!;
            Assert.Equal([node.Spec.PodCIDR!], node.Spec.PodCIDRs);
        }
    }

    [Fact]
    public async Task FullRange_WarnsCIDRNotAvailable_AndADeletedNodesCidrGoesToTheWaitingNode()
    {
        var waitingElsewhere = (await _scope.Admin.ListAsync<Node>("/api/v1/nodes")).Count(n => string.IsNullOrEmpty(n.Spec.PodCIDR));
        var bits = Math.Max(1, (int)Math.Ceiling(Math.Log2(waitingElsewhere + 2)));
        var capacity = 1 << bits;
        await _scope.StartControllersAsync(s =>
        {
            s["ControllerManager:ClusterCidr"] = $"10.202.0.0/{24 - bits}";
            s["ControllerManager:NodeCidrMaskSize"] = "24";
        });
        var mine = new List<string>();
        for (var i = 0; i < capacity - waitingElsewhere; i++)
        {
            mine.Add(await CreateNodeAsync());
            await CidrOfAsync(mine[^1]);
        }
        var late = await CreateNodeAsync();
        var warning = await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Event>("/api/v1/namespaces/default/events"))
            .FirstOrDefault(e => e.Reason == "CIDRNotAvailable" && e.InvolvedObject.Name == late), TimeSpan.FromSeconds(20), "CIDRNotAvailable event");
        Assert.Equal("Warning", warning.Type);
        Assert.Equal("Node", warning.InvolvedObject.Kind);
        Assert.Null((await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{late}"))!.Spec.PodCIDR);

        var freed = await CidrOfAsync(mine[0]);
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/nodes/{mine[0]}");
        Assert.Equal(freed, await CidrOfAsync(late));
    }

    [Fact]
    public async Task PodCidr_IsValidated_AndImmutableOnceSet()
    {
        var name = await CreateNodeAsync();
        var bad = await Assert.ThrowsAsync<HttpRequestException>(() => PatchCidrAsync(name, "10.9.8.300/24"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("spec.podCIDRs[0]", bad.Message);

        await PatchCidrAsync(name, "10.203.7.0/24"); // "" to valid is allowed
        var changed = await Assert.ThrowsAsync<HttpRequestException>(() => PatchCidrAsync(name, "10.203.8.0/24"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Contains("spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \\\"\\\" to valid", changed.Message);
        Assert.Equal("10.203.7.0/24", (await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{name}"))!.Spec.PodCIDR);
    }

    private Task<JsonObject> PatchCidrAsync(string node, string cidr) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/nodes/{node}",
            new JsonObject { ["spec"] = new JsonObject { ["podCIDR"] = cidr, ["podCIDRs"] = new JsonArray(cidr) } });

    private async Task<string> CreateNodeAsync()
    {
        var name = ClusterApi.NewName("ipam");
        _nodes.Add(name);
        await _scope.Admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = name }, Spec = new NodeSpec() });
        return name;
    }

    private async Task<string> CidrOfAsync(string node) =>
        await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{node}"))?.Spec.PodCIDR, TimeSpan.FromSeconds(20), $"podCIDR of {node}");

    public async Task DisposeAsync()
    {
        foreach (var n in _nodes)
            try { await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/nodes/{n}"); }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound) { }
        await _scope.DisposeAsync();
    }
}
