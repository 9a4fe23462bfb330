using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// The resourcequota controller follows deletions and terminations: <c>status.used</c> goes down when objects go
/// away or pods end, counting Secrets by their metadata with the controller's own (secret-less) token.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class ResourceQuotaControllerTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    private string Api => $"/api/v1/namespaces/{_scope.Namespace}";

    private Task<ResourceQuota> UsedAsync(string expected, string what) =>
        Eventually.WaitAsync(async () =>
        {
            var quota = await _scope.Admin.GetAsync<ResourceQuota>($"{Api}/resourcequotas/counts");
            var used = string.Join(",", (quota?.Status?.Used ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
            return used == expected ? quota : null;
        }, TimeSpan.FromSeconds(20), what);

    [Fact]
    public async Task StatusUsed_FollowsCreatesDeletesAndTerminatedPods()
    {
        await _scope.Admin.CreateAsync($"{Api}/resourcequotas", new ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new ObjectMeta { Name = "counts" },
            Spec = new ResourceQuotaSpec { Hard = new ResourceList(new Dictionary<string, string>
            {
                ["pods"] = "5", ["requests.cpu"] = "2", ["configmaps"] = "5", ["secrets"] = "5", ["services"] = "5", ["count/deployments.apps"] = "5",
            }) },
        });
        foreach (var name in new[] { "a", "b" })
            await _scope.Admin.CreateAsync($"{Api}/configmaps", new ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new ObjectMeta { Name = name } });
        await _scope.Admin.CreateAsync($"{Api}/secrets", new Secret { ApiVersion = "v1", Kind = "Secret", Metadata = new ObjectMeta { Name = "s" }, StringData = new() { ["pw"] = "x" } });
        await _scope.Admin.CreateAsync($"{Api}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Port = 80 }] },
        });
        var pod = ClusterApi.HttpdPod("p", nodeName: null);
        pod = pod with { Spec = pod.Spec with { Containers = [pod.Spec.Containers[0] with { Resources = new ResourceRequirements { Requests = new ResourceList(new Dictionary<string, string> { ["cpu"] = "250m" }) } }] } };
        await _scope.Admin.CreateAsync($"{Api}/pods", pod);
        await UsedAsync("configmaps=2,count/deployments.apps=0,pods=1,requests.cpu=250m,secrets=1,services=1", "usage after the creates");

        (await _scope.Admin.DeleteAsync($"{Api}/configmaps/a")).EnsureSuccessStatusCode();
        (await _scope.Admin.DeleteAsync($"{Api}/secrets/s")).EnsureSuccessStatusCode();
        (await _scope.Admin.DeleteAsync($"{Api}/services/web")).EnsureSuccessStatusCode();
        await UsedAsync("configmaps=1,count/deployments.apps=0,pods=1,requests.cpu=250m,secrets=0,services=0", "usage after the deletes");

        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"{Api}/pods/p/status", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Failed" } });
        var quota = await UsedAsync("configmaps=1,count/deployments.apps=0,pods=0,requests.cpu=0,secrets=0,services=0", "a failed pod no longer counts");
        Assert.True(ResourceList.Same(quota.Spec.Hard, quota.Status!.Hard));

        // A new limit is counted at once (by the apiserver) and kept by the controller.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"{Api}/resourcequotas/counts", new JsonObject { ["spec"] = new JsonObject { ["hard"] = new JsonObject { ["count/pods"] = "3" } } });
        await UsedAsync("configmaps=1,count/deployments.apps=0,count/pods=1,pods=0,requests.cpu=0,secrets=0,services=0", "the new count/pods");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
