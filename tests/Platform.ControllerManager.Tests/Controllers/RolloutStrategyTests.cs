using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

[Collection(ControllerCollection.Name)]
public sealed class RolloutStrategyTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _node = ClusterApi.NewName("node");
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(_node);
        await _scope.StartControllersAsync();
    }

    private Deployment Web(string name, DeploymentStrategy strategy, Container container, int? deadline = null, bool autoRollback = false) => new()
    {
        ApiVersion = "apps/v1", Kind = "Deployment",
        Metadata = new ObjectMeta { Name = name, Annotations = autoRollback ? new() { ["deployment.platform.io/auto-rollback"] = "true" } : null },
        Spec = new DeploymentSpec
        {
            Replicas = 2,
            ProgressDeadlineSeconds = deadline,
            Strategy = strategy,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = name } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = name } },
                Spec = new PodSpec { NodeName = _node, TerminationGracePeriodSeconds = 1, Containers = [container] },
            },
        },
    };

    private Task<List<Pod>> PodsAsync(string app) => _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{_scope.Namespace}/pods?labelSelector=app%3D{app}");

    private Task SetTemplateAsync(string name, Container container) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/{name}", new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = JsonSerializer.SerializeToNode(new[] { container }, ResourceJson.Options) } } },
        });

    [Fact]
    public async Task Recreate_NeverRunsOldAndNewPodsTogether()
    {
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments", Web("rec", new DeploymentStrategy { Type = "Recreate" }, ClusterApi.HttpdContainer()));
        var first = await Eventually.WaitAsync(async () => await PodsAsync("rec") is { Count: 2 } l && l.All(p => p.IsReady()) ? l : null, TimeSpan.FromSeconds(60), "2 ready pods");
        var oldHash = first[0].Metadata.Labels!["pod-template-hash"];

        await SetTemplateAsync("rec", ClusterApi.HttpdContainer(version: "v2"));
        var mixed = false;
        await Eventually.WaitAsync(async () =>
        {
            var pods = await PodsAsync("rec");
            mixed |= pods.Any(p => p.Metadata.Labels!["pod-template-hash"] == oldHash) && pods.Any(p => p.Metadata.Labels!["pod-template-hash"] != oldHash);
            return pods.Count == 2 && pods.All(p => p.IsReady() && p.Metadata.Labels!["pod-template-hash"] != oldHash);
        }, TimeSpan.FromSeconds(90), "recreated on v2");
        Assert.False(mixed, "old and new pods existed at the same time");
    }

    [Fact]
    public async Task StalledRollout_ExceedsItsProgressDeadline_AndAutoRollbackRestoresTheWorkingTemplate()
    {
        var good = ClusterApi.HttpdContainer();
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments",
            Web("auto", new DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 } }, good, deadline: 3, autoRollback: true));
        var first = await Eventually.WaitAsync(async () => await PodsAsync("auto") is { Count: 2 } l && l.All(p => p.IsReady()) ? l : null, TimeSpan.FromSeconds(60), "2 ready pods");
        var goodHash = first[0].Metadata.Labels!["pod-template-hash"];

        // A template whose readiness never passes: the rollout stalls with maxUnavailable 0, the old pods keep serving.
        await SetTemplateAsync("auto", good with { ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/missing", Port = "http" }, PeriodSeconds = 1 } });

        await Eventually.WaitAsync(async () =>
            (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events")).Any(e => e.Reason == "ProgressDeadlineExceeded"), TimeSpan.FromSeconds(60), "ProgressDeadlineExceeded");
        var restored = await Eventually.WaitAsync(async () =>
        {
            var d = await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/auto");
            var pods = await PodsAsync("auto");
            return d!.Spec.Template!.Spec!.Containers[0].ReadinessProbe!.HttpGet!.Path == "/index.html"
                && pods.Count == 2 && pods.All(p => p.IsReady() && p.Metadata.Labels!["pod-template-hash"] == goodHash) ? d : null;
        }, TimeSpan.FromSeconds(90), "rolled back to the working template");
        Assert.Contains(await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events"), e => e.Reason == "DeploymentRollback");
        await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<Deployment>($"/apis/apps/v1/namespaces/{_scope.Namespace}/deployments/auto"))!.Status!.Conditions!
            .Any(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable"), TimeSpan.FromSeconds(30), "Progressing NewReplicaSetAvailable");
        Assert.NotNull(restored);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
