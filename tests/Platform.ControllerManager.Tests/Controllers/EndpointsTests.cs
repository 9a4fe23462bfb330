using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;

namespace Platform.ControllerManager.Tests.Controllers;

[Collection(ControllerCollection.Name)]
public sealed class EndpointsTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private DiscoveryProcess? _discovery;
    private NodeAgentHost? _agent;
    private ControllerManagerHost? _controllers;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        _ns = await _admin.CreateNamespaceAsync();
        _discovery = await DiscoveryProcess.StartAsync();
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
        _controllers = await ControllerManagerHost.StartAsync(cluster, await _admin.CreateTokenAsync("controller"), s => s["ControllerManager:EurekaUrl"] = _discovery.EurekaUrl);
    }

    [Fact]
    public async Task ReadyPodsOfAService_AreRegisteredInDiscovery_AndRemovedWhenTheyGo()
    {
        var app = "shop-" + Guid.NewGuid().ToString("N")[..6];
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = app },
            Spec = new ServiceSpec { Selector = new() { ["app"] = app }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", ClusterApi.HttpdPod("ready-1", _node, new() { ["app"] = app }));
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", ClusterApi.HttpdPod("ready-2", _node, new() { ["app"] = app }));
        var neverReady = ClusterApi.HttpdPod("never-ready", _node, new() { ["app"] = app });
        neverReady = neverReady with { Spec = neverReady.Spec with { Containers = [ClusterApi.HttpdContainer() with { ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/missing", Port = "http" }, PeriodSeconds = 1 } }] } };
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", neverReady);

        var instances = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(app) is { Count: 2 } l ? l : null, TimeSpan.FromSeconds(60), "two instances registered");
        var pod1 = (await _admin.GetPodAsync(_ns, "ready-1"))!;
        Assert.Contains(instances, i => i.Port == pod1.Status!.AllocatedPorts!["http"]);
        Assert.DoesNotContain(instances, i => i.Id.StartsWith("never-ready", StringComparison.Ordinal));
        using (var http = new HttpClient())
            foreach (var (_, port) in instances) Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
        await Eventually.WaitAsync(async () => (await _admin.GetAsync<Service>($"/api/v1/namespaces/{_ns}/services/{app}"))!.Status?.ReadyEndpoints == 2, TimeSpan.FromSeconds(20), "readyEndpoints 2");

        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/ready-1");
        var left = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(app) is { Count: 1 } l ? l : null, TimeSpan.FromSeconds(30), "deleted pod deregistered");
        Assert.StartsWith("ready-2.", left[0].Id, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        if (_controllers is not null) await _controllers.DisposeAsync();
        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/namespaces/{_ns}");
        if (_agent is not null) await _agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        if (_discovery is not null) await _discovery.DisposeAsync();
        _admin.Dispose();
    }
}
