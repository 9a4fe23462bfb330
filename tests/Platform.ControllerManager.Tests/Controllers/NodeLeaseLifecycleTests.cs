using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>The node lifecycle controller reads heartbeats from node Leases, and from the Ready condition for nodes without one.</summary>
[Collection(ControllerCollection.Name)]
public sealed class NodeLeaseLifecycleTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _leased = ClusterApi.NewName("leased");
    private readonly string _legacy = ClusterApi.NewName("legacy");
    private ControllerManagerHost? _controllers;

    public async Task InitializeAsync() =>
        _controllers = await ControllerManagerHost.StartAsync(cluster, await _admin.CreateTokenAsync("controller"), s =>
        {
            s["ControllerManager:NodeMonitorPeriod"] = "00:00:00.200";
            s["ControllerManager:NodeMonitorGracePeriod"] = "00:00:03";
        });

    private async Task<Node> CreateNodeAsync(string name) =>
        System.Text.Json.JsonSerializer.Deserialize<Node>(await _admin.CreateAsync("/api/v1/nodes", new Node { ApiVersion = "v1", Kind = "Node", Metadata = new ObjectMeta { Name = name } }), ResourceJson.Options)!;

    private Task ReportReadyAsync(string name, DateTimeOffset heartbeat) =>
        ClusterApi.SendAsync(_admin, HttpMethod.Patch, $"/api/v1/nodes/{name}/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastHeartbeatTime"] = heartbeat, ["lastTransitionTime"] = heartbeat }),
            },
        });

    private async Task<Node> NodeAsync(string name) => (await _admin.GetAsync<Node>($"/api/v1/nodes/{name}"))!;

    private static bool NotReady(Node n) =>
        n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute") == true
        && n.Status!.Conditions!.Single(c => c.Type == "Ready").Status == "Unknown";

    /// <summary>What a node agent does every heartbeat, here every 300 ms until cancelled.</summary>
    private async Task RenewAsync(string node, CancellationToken ct)
    {
        var path = $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node}";
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(300));
        do
        {
            var lease = await _admin.GetAsync<Lease>(path);
            var renewed = lease! with { Spec = lease.Spec with { RenewTime = DateTimeOffset.UtcNow } };
            await ClusterApi.SendAsync(_admin, HttpMethod.Put, path, System.Text.Json.JsonSerializer.SerializeToNode(renewed, ResourceJson.Options));
        }
        while (await timer.WaitForNextTickAsync(ct).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
    }

    [Fact]
    public async Task NodeWithARenewedLease_StaysReadyDespiteAnOldReadyHeartbeat_AndGoesNotReadyWhenTheLeaseStops_NodesWithoutALeaseUseTheReadyHeartbeat()
    {
        // The legacy node has no Lease and a fresh Ready heartbeat that nobody renews: NotReady after the grace period.
        // (Waiting for it also means the controller's informers are live before the leased node appears.)
        await CreateNodeAsync(_legacy);
        await ReportReadyAsync(_legacy, DateTimeOffset.UtcNow);
        await Eventually.WaitAsync(async () => NotReady(await NodeAsync(_legacy)), TimeSpan.FromSeconds(20), "the node without a lease goes NotReady after the grace period");

        var leased = await CreateNodeAsync(_leased);
        var leasePath = $"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{_leased}";
        await _admin.CreateAsync($"/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", new Lease
        {
            ApiVersion = "coordination.k8s.io/v1", Kind = "Lease",
            Metadata = new ObjectMeta { Name = _leased, OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Node", Name = _leased, Uid = leased.Metadata.Uid }] },
            Spec = new LeaseSpec { HolderIdentity = _leased, LeaseDurationSeconds = 40, RenewTime = DateTimeOffset.UtcNow },
        });
        using var renewing = new CancellationTokenSource();
        var renewer = RenewAsync(_leased, renewing.Token);
        await Eventually.WaitAsync(async () => (await _admin.GetAsync<Lease>(leasePath))!.Metadata.Generation >= 3, TimeSpan.FromSeconds(10), "lease renewed twice");

        // The leased node's Ready heartbeat becomes an hour old: only its Lease keeps it Ready, for longer than the grace period.
        await ReportReadyAsync(_leased, DateTimeOffset.UtcNow.AddHours(-1));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        while (DateTime.UtcNow < until)
        {
            var stillReady = await NodeAsync(_leased);
            Assert.False(NotReady(stillReady), "a node with a renewed lease went NotReady");
            Assert.Null(stillReady.Spec.Taints);
            await Task.Delay(200);
        }

        await renewing.CancelAsync();
        await renewer;
        var notReady = await Eventually.WaitAsync(async () => await NodeAsync(_leased) is var n && NotReady(n) ? n : null, TimeSpan.FromSeconds(20), "the leased node goes NotReady once its lease stops");
        Assert.Equal("NodeStatusUnknown", notReady.Status!.Conditions!.Single(c => c.Type == "Ready").Reason);
        await Eventually.WaitAsync(async () => (await _admin.ListAsync<Event>("/api/v1/namespaces/default/events")).Any(e => e.Reason == "NodeNotReady" && e.InvolvedObject.Name == _leased),
            TimeSpan.FromSeconds(10), "NodeNotReady event");
    }

    public async Task DisposeAsync()
    {
        if (_controllers is not null) await _controllers.DisposeAsync();
        foreach (var node in new[] { _leased, _legacy })
        {
            try
            {
                await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/nodes/{node}");
            }
            catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Never created: the test failed before.
            }
        }
        _admin.Dispose();
    }
}
