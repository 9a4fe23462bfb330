using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>Deployments end to end: controller-manager, a real node agent, dockerd, the apiserver process.</summary>
[Collection(ControllerCollection.Name)]
public sealed class DeploymentTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(_node);
        await _scope.StartControllersAsync();
    }

    /// <summary>busybox httpd pods pinned to this test's node (spec.nodeName: no scheduler needed).</summary>
    private Deployment WebDeployment(string name, int replicas, string version = "v1", int maxSurge = 1, int maxUnavailable = 1) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new ObjectMeta { Name = name },
        Spec = new DeploymentSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Strategy = new DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDeployment { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { NodeName = _node, TerminationGracePeriodSeconds = 2, Containers = [ClusterApi.HttpdContainer(version: version)] },
            },
        },
    };

    private async Task<List<Pod>> PodsAsync(string app) => await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3D{app}");

    private Task<List<Pod>> WaitReadyAsync(string app, int count, Func<Pod, bool>? also = null, int seconds = 90) =>
        Eventually.WaitAsync(async () =>
        {
            var pods = await PodsAsync(app);
            return pods.Count == count && pods.All(p => p.IsReady() && (also?.Invoke(p) ?? true)) ? pods : null;
        }, TimeSpan.FromSeconds(seconds), $"{count} ready pods of {app}", TimeSpan.FromMilliseconds(250));

    private Task ScaleAsync(string name, int replicas) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/{name}", new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["replicas"] = replicas } });

    [Fact]
    public async Task Deployment_RunsReadyReplicasOnDistinctPorts_ReplacesDeletedPod_Scales_AndDeletesEverything()
    {
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments", WebDeployment("web", 3));

        var pods = await WaitReadyAsync("web", 3);
        var ports = pods.Select(p => p.Status!.AllocatedPorts!["http"]).ToList();
        Assert.Equal(3, ports.Distinct().Count());
        using (var http = new HttpClient())
            foreach (var port in ports) Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
        Assert.All(pods, p => Assert.Equal("ReplicaSet", PodOwnerKind(p)));

        var victim = pods[0].Metadata.Name!;
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/{victim}");
        var replaced = await WaitReadyAsync("web", 3, p => p.Metadata.Name != victim);
        Assert.Single(replaced, p => pods.All(old => old.Metadata.Name != p.Metadata.Name));

        await ScaleAsync("web", 5);
        await WaitReadyAsync("web", 5);
        await ScaleAsync("web", 2);
        await WaitReadyAsync("web", 2);
        var deployment = await Eventually.WaitAsync(async () =>
            await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/web") is { Status: { Replicas: 2, AvailableReplicas: 2 } } d ? d : null,
            TimeSpan.FromSeconds(30), "deployment status 2/2");
        Assert.Contains(deployment.Status!.Conditions!, c => c.Type == "Available" && c.Status == "True");

        var containerIds = (await PodsAsync("web")).Select(p => p.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..]).ToList();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/web");
        await Eventually.WaitAsync(async () => (await PodsAsync("web")).Count == 0
            && (await _scope.Admin.ListAsync<ReplicaSet>($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets")).Count == 0, TimeSpan.FromSeconds(30), "pods and replica sets deleted");
        await Eventually.WaitAsync(async () =>
        {
            var running = await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
            return running.All(c => !containerIds.Contains(c.ID));
        }, TimeSpan.FromSeconds(30), "containers removed");
        var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
        Assert.Contains(events, e => e.Reason == "ScalingReplicaSet");
        Assert.Contains(events, e => e.Reason == "SuccessfulCreate");
    }

    private static string? PodOwnerKind(Pod p) => p.Metadata.OwnerReferences?.SingleOrDefault(o => o.Controller == true)?.Kind;

    [Fact]
    public async Task RollingUpdate_KeepsMinimumReady_AndUndoReturnsToThePreviousTemplate()
    {
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments", WebDeployment("roll", 3));
        var first = await WaitReadyAsync("roll", 3);
        var firstHash = first[0].Metadata.Labels!["pod-template-hash"];

        // Change the template and sample the ready pods until the rollout is complete.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/roll", new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["template"] = System.Text.Json.JsonSerializer.SerializeToNode(WebDeployment("roll", 3, version: "v2").Spec.Template, ResourceJson.Options) },
        });
        var minReady = int.MaxValue;
        List<Pod> second = [];
        await Eventually.WaitAsync(async () =>
        {
            var pods = await PodsAsync("roll");
            minReady = Math.Min(minReady, pods.Count(p => p.IsReady()));
            second = pods;
            return pods.Count == 3 && pods.All(p => p.IsReady() && p.Metadata.Labels!["pod-template-hash"] != firstHash);
        }, TimeSpan.FromSeconds(120), "rollout to v2 complete");
        Assert.True(minReady >= 2, $"ready pods fell to {minReady} during the rollout (replicas 3, maxUnavailable 1)");
        Assert.All(second, p => Assert.Contains(p.Spec.Containers[0].Env!, e => e.Name == "VERSION" && e.Value == "v2"));

        // rollout undo: back to the first template, whose ReplicaSet becomes revision 3.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/roll",
            System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"annotations":{"deployment.platform.io/rollback-to":"0"}}}"""));
        minReady = int.MaxValue;
        await Eventually.WaitAsync(async () =>
        {
            var pods = await PodsAsync("roll");
            minReady = Math.Min(minReady, pods.Count(p => p.IsReady()));
            return pods.Count == 3 && pods.All(p => p.IsReady() && p.Metadata.Labels!["pod-template-hash"] == firstHash);
        }, TimeSpan.FromSeconds(120), "rollback to v1 complete");
        Assert.True(minReady >= 2, $"ready pods fell to {minReady} during the rollback");
        var sets = await _scope.Admin.ListAsync<ReplicaSet>($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets");
        Assert.Equal("3", sets.Single(r => r.Metadata.Labels!["pod-template-hash"] == firstHash).Metadata.Annotations!["deployment.kubernetes.io/revision"]);
        var d = await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/roll");
        Assert.False(d!.Metadata.Annotations?.ContainsKey("deployment.platform.io/rollback-to") ?? false);
        Assert.Contains(d.Spec.Template!.Spec!.Containers[0].Env!, e => e.Name == "VERSION" && e.Value == "v1");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
