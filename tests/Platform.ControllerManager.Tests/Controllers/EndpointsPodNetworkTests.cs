using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// The endpoints controller with an agent on the pod network, its Node's podCIDR given by the node IPAM controller:
/// discovery gets each pod's own IP and its containerPort, the same port for every pod.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class EndpointsPodNetworkTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private DiscoveryProcess? _discovery;
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        _discovery = await DiscoveryProcess.StartAsync();
        await _scope.StartControllersAsync(s =>
        {
            s["ControllerManager:EurekaUrl"] = _discovery.EurekaUrl;
            s["ControllerManager:ClusterCidr"] = "10.214.0.0/16";
        });
        await _scope.StartAgentAsync(_node, s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = ""; // only what the IPAM controller assigns
        });
    }

    [Fact]
    public async Task ReadyPodsOnThePodNetwork_AreRegisteredAtTheirContainerPort()
    {
        var cidr = await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{_node}"))?.Spec.PodCIDR, TimeSpan.FromSeconds(30), "node podCIDR");
        Assert.StartsWith("10.214.", cidr);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "shop" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "shop" }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });
        foreach (var name in new[] { "shop-1", "shop-2" })
            await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod(name, _node, new() { ["app"] = "shop" }));

        var application = new ServiceApplication("shop", _scope.Namespace).Application;
        var instances = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(application) is { Count: 2 } l ? l : null, TimeSpan.FromSeconds(60), "two instances registered");
        Assert.All(instances, i => Assert.Equal(8080, i.Port)); // HttpdPod's containerPort "http", no host port
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var name in new[] { "shop-1", "shop-2" })
        {
            var pod = (await _scope.Admin.GetPodAsync(_scope.Namespace, name))!;
            Assert.True(System.Net.IPNetwork.Parse(cidr).Contains(System.Net.IPAddress.Parse(pod.Status!.PodIP!)));
            Assert.Null(pod.Status.AllocatedPorts);
            Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{pod.Status.PodIP}:8080/index.html"));
        }
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        if (_discovery is not null) await _discovery.DisposeAsync();
        await ClusterApi.SendAsync(cluster.ApiServer.Client(), HttpMethod.Delete, $"/api/v1/nodes/{_node}");
    }
}
