using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// A LoadBalancer Service end to end: the EndpointSlice controller's slice, the load balancer controller's ingress
/// (every Ready node's InternalIP: the test agent's 127.0.0.1), and the agent's Service proxy answering on that
/// address at the Service's port and on the node port (root, iproute2, Docker: a real agent on the pod network).
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class ServiceLoadBalancerTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    [Fact]
    public async Task LoadBalancerService_GetsTheNodesAddress_AndIsServedThereAndOnItsNodePort()
    {
        var node = ClusterApi.NewName("node");
        await _scope.StartControllersAsync();
        await _scope.StartAgentAsync(node, s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:Proxy:Enabled"] = "true";
        });
        var ns = _scope.Namespace;
        foreach (var name in new[] { "a", "b" })
            await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", ServiceBackendPods.NamedHttpd(name, node, new() { ["app"] = "lb" }));
        var port = 18000 + Random.Shared.Next(0, 1000);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "lb" },
            Spec = new ServiceSpec { Type = "LoadBalancer", Selector = new() { ["app"] = "lb" }, Ports = [new ServicePort { Name = "http", Port = port, TargetPort = 80 }] },
        });

        var svc = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Service>($"/api/v1/namespaces/{ns}/services/lb") is { Status.LoadBalancer.Ingress: { Count: > 0 } } s ? s : null,
            TimeSpan.FromSeconds(30), "status.loadBalancer.ingress written");
        Assert.Contains(svc.Status!.LoadBalancer!.Ingress!, i => i.Ip == "127.0.0.1");
        var nodePort = svc.Spec.Ports![0].NodePort!.Value;

        var slices = $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dlb";
        await Eventually.WaitAsync(async () => (await _scope.Admin.ListAsync<Platform.Contracts.Resources.EndpointSlice>(slices)).SelectMany(s => s.Endpoints ?? []).Count(e => e.Conditions?.Ready == true) == 2,
            TimeSpan.FromSeconds(60), "both pods ready in the Service's slice");
        await Eventually.WaitAsync(async () => await GetAsync(nodePort) is "a" or "b", TimeSpan.FromSeconds(20), $"node port {nodePort} answered by a pod");
        await Eventually.WaitAsync(async () => await GetAsync(port) is "a" or "b", TimeSpan.FromSeconds(20), $"127.0.0.1:{port} answered by a pod");
        // The proxy learns the second endpoint from its own informer, a moment after the slice says Ready: both pods
        // must answer on both addresses within the bound, and nothing else may.
        var seen = new HashSet<string>();
        await Eventually.WaitAsync(async () =>
        {
            seen.Add(await GetAsync(port) ?? "none");
            seen.Add(await GetAsync(nodePort) ?? "none");
            return seen.IsSupersetOf(["a", "b"]);
        }, TimeSpan.FromSeconds(20), "both pods answer through the load balancer address and the node port");
        Assert.Equal(["a", "b"], seen.Order());

        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{ns}/services/lb");
        await Eventually.WaitAsync(async () => await GetAsync(port) is null, TimeSpan.FromSeconds(20), "the load balancer address stops answering");
    }

    private static Task<string?> GetAsync(int port) => ServiceBackendPods.GetAsync(System.Net.IPAddress.Loopback, port);
}
