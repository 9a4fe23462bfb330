using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Contracts.Routing;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

[Collection(ControllerCollection.Name)]
public sealed class EndpointsTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private DiscoveryProcess? _discovery;
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        _discovery = await DiscoveryProcess.StartAsync();
        await _scope.StartAgentAsync(_node);
        // Two Eureka servers, the first down (nothing listens on its port, as on a stopped replica of up --ha): every
        // registration, renewal and cancellation below reaches the registry through the second.
        var down = $"http://{DiscoveryProcess.User}:{DiscoveryProcess.Password}@127.0.0.1:{Network.FreeTcpPort()}/eureka";
        await _scope.StartControllersAsync(s => s["ControllerManager:EurekaUrl"] = $"{down},{_discovery.EurekaUrl}");
    }

    [Fact]
    public async Task ReadyPodsOfAService_AreRegisteredInDiscovery_AndRemovedWhenTheyGo()
    {
        var app = "shop-" + Guid.NewGuid().ToString("N")[..6];
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = app },
            Spec = new ServiceSpec { Selector = new() { ["app"] = app }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("ready-1", _node, new() { ["app"] = app }));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("ready-2", _node, new() { ["app"] = app }));
        var neverReady = ClusterApi.HttpdPod("never-ready", _node, new() { ["app"] = app });
        neverReady = neverReady with { Spec = neverReady.Spec with { Containers = [ClusterApi.HttpdContainer() with { ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/missing", Port = "http" }, PeriodSeconds = 1 } }] } };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", neverReady);

        var application = new ServiceApplication(app, _scope.Namespace).Application;
        var instances = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(application) is { Count: 2 } l ? l : null, TimeSpan.FromSeconds(60), "two instances registered");
        var pod1 = (await _scope.Admin.GetPodAsync(_scope.Namespace, "ready-1"))!;
        Assert.Contains(instances, i => i.Port == pod1.Status!.AllocatedPorts!["http"]);
        Assert.DoesNotContain(instances, i => i.Id.StartsWith("never-ready", StringComparison.Ordinal));
        using (var http = new HttpClient())
            foreach (var (_, port, _) in instances) Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
        await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<Service>($"/api/v1/namespaces/{_scope.Namespace}/services/{app}"))!.Status?.ReadyEndpoints == 2, TimeSpan.FromSeconds(20), "readyEndpoints 2");

        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/ready-1");
        var left = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(application) is { Count: 1 } l ? l : null, TimeSpan.FromSeconds(30), "deleted pod deregistered");
        Assert.StartsWith("ready-2.", left[0].Id, StringComparison.Ordinal);
    }

    /// <summary>An agent on the pod network whose Node's podCIDR comes from the node IPAM controller: each pod is registered at its own IP and containerPort.</summary>
    [Fact]
    public async Task ReadyPodsOnThePodNetwork_AreRegisteredAtTheirContainerPort()
    {
        var node = ClusterApi.NewName("podnet");
        await _scope.StartAgentAsync(node, s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = ""; // only what the IPAM controller assigns
        });
        try
        {
            var cidr = await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{node}"))?.Spec.PodCIDR, TimeSpan.FromSeconds(30), "node podCIDR");
            await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/services", new Service
            {
                ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "shop" },
                Spec = new ServiceSpec { Selector = new() { ["app"] = "shop" }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
            });
            foreach (var name in new[] { "shop-1", "shop-2" })
                await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod(name, node, new() { ["app"] = "shop" }));

            var application = new ServiceApplication("shop", _scope.Namespace).Application;
            var instances = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync(application) is { Count: 2 } l ? l : null, TimeSpan.FromSeconds(60), "two instances registered");
            Assert.All(instances, i => Assert.Equal(8080, i.Port)); // HttpdPod's containerPort "http", no host port
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var name in new[] { "shop-1", "shop-2" })
            {
                var pod = (await _scope.Admin.GetPodAsync(_scope.Namespace, name))!;
                Assert.True(System.Net.IPNetwork.Parse(cidr).Contains(System.Net.IPAddress.Parse(pod.Status!.PodIP!)), $"{pod.Status.PodIP} not in {cidr}");
                Assert.Null(pod.Status.AllocatedPorts);
                Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{pod.Status.PodIP}:8080/index.html"));
            }
        }
        finally
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3Dshop");
        }
    }

    [Fact]
    public async Task ServicesOfOneNameInTwoNamespaces_AreTwoApplications_EachWithOnlyItsOwnPods()
    {
        var other = await _scope.Admin.CreateNamespaceAsync();
        try
        {
            foreach (var ns in new[] { _scope.Namespace, other })
            {
                await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/services", new Service
                {
                    ApiVersion = "v1", Kind = "Service",
                    // The other namespace's Service lets the first namespace's gateway Routes reach it.
                    Metadata = new ObjectMeta { Name = "web", Annotations = ns == other ? new() { [RouteGrants.AllowRoutesFromAnnotation] = _scope.Namespace } : null },
                    Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
                });
                await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", ClusterApi.HttpdPod("web-1", _node, new() { ["app"] = "web" }));
            }

            var mine = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync($"WEB.{_scope.Namespace.ToUpperInvariant()}") is { Count: 1 } l ? l : null,
                TimeSpan.FromSeconds(60), "web of the first namespace");
            var theirs = await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync($"WEB.{other.ToUpperInvariant()}") is { Count: 1 } l ? l : null,
                TimeSpan.FromSeconds(60), "web of the other namespace");
            Assert.Equal($"web-1.{_scope.Namespace}", mine[0].Id.Split(':')[0]);
            Assert.Equal($"web-1.{other}", theirs[0].Id.Split(':')[0]);
            Assert.NotEqual(mine[0].Port, theirs[0].Port);
            Assert.Equal(_scope.Namespace, mine[0].Metadata[ServiceApplication.NamespaceMetadata]);
            Assert.False(mine[0].Metadata.ContainsKey(ServiceApplication.AllowRoutesFromMetadata));
            Assert.Equal(_scope.Namespace, theirs[0].Metadata[ServiceApplication.AllowRoutesFromMetadata]);
            Assert.Empty(await _discovery!.InstancesAsync("WEB"));

            // Taking the grant back registers the instance again without it.
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{other}/services/web",
                new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["annotations"] = null } });
            await Eventually.WaitAsync(async () => await _discovery!.InstancesAsync($"WEB.{other.ToUpperInvariant()}") is [var i] && !i.Metadata.ContainsKey(ServiceApplication.AllowRoutesFromMetadata),
                TimeSpan.FromSeconds(30), "the grant gone from the registration");
        }
        finally
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{other}");
        }
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        if (_discovery is not null) await _discovery.DisposeAsync();
    }
}
