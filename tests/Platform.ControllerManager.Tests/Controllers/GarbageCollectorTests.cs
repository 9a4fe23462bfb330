using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

[Collection(ControllerCollection.Name)]
public sealed class GarbageCollectorTests(ClusterFixture cluster) : IAsyncLifetime
{
    private TestScope _scope = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartControllersAsync();
    }

    [Fact]
    public async Task Dependents_WhoseOwnerIsGone_AreCollected_AndLiveOwnersKeepTheirs()
    {
        var ghost = new OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "never-existed", Uid = Guid.NewGuid().ToString(), Controller = true };
        var orphanRs = new ReplicaSet
        {
            ApiVersion = "apps/v1", Kind = "ReplicaSet",
            Metadata = new ObjectMeta { Name = "orphan", OwnerReferences = [ghost] },
            Spec = new ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new LabelSelector { MatchLabels = new() { ["app"] = "orphan" } },
                Template = new PodTemplateSpec { Metadata = new ObjectMeta { Labels = new() { ["app"] = "orphan" } }, Spec = new PodSpec { Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] } },
            },
        };
        var owner = await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets", orphanRs with
        {
            Metadata = new ObjectMeta { Name = "owner" },
            Spec = orphanRs.Spec with { Selector = new LabelSelector { MatchLabels = new() { ["app"] = "owner" } }, Template = orphanRs.Spec.Template! with { Metadata = new ObjectMeta { Labels = new() { ["app"] = "owner" } } } },
        });
        var liveRef = new OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "owner", Uid = (string)owner["metadata"]!["uid"]! };
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets", orphanRs);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", new Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new ObjectMeta { Name = "half", Labels = new() { ["app"] = "none" }, OwnerReferences = [ghost with { Controller = false }, liveRef] },
            Spec = new PodSpec { Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] },
        });

        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<ReplicaSet>($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets/orphan") is null, TimeSpan.FromSeconds(20), "orphan collected");
        var half = await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(_scope.Namespace, "half") is { Metadata.OwnerReferences.Count: 1 } p ? p : null, TimeSpan.FromSeconds(20), "dangling reference removed");
        Assert.Equal("owner", half.Metadata.OwnerReferences![0].Name);
        Assert.NotNull(await _scope.Admin.GetAsync<ReplicaSet>($"/apis/apps/v1/namespaces/{_scope.Namespace}/replicasets/owner"));
    }

    [Fact]
    public async Task JobsOfAGoneCronJob_AndPodsOfAGoneJob_AreCollected()
    {
        var ns = _scope.Namespace;
        var goneCron = new OwnerReference { ApiVersion = "batch/v1", Kind = "CronJob", Name = "gone", Uid = Guid.NewGuid().ToString(), Controller = true };
        var goneJob = new OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "gone", Uid = Guid.NewGuid().ToString(), Controller = true };
        var podSpec = new PodSpec { RestartPolicy = "Never", Containers = [new Container { Name = "c", Image = DockerFixture.BusyboxImage }] };
        await _scope.Admin.CreateAsync($"/apis/batch/v1/namespaces/{ns}/jobs", new Job
        {
            ApiVersion = "batch/v1", Kind = "Job",
            Metadata = new ObjectMeta { Name = "run", OwnerReferences = [goneCron] },
            Spec = new JobSpec { Suspend = true, Template = new PodTemplateSpec { Spec = podSpec } },
        });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", new Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = "worker", OwnerReferences = [goneJob] }, Spec = podSpec,
        });

        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Job>($"/apis/batch/v1/namespaces/{ns}/jobs/run") is null
            && await _scope.Admin.GetPodAsync(ns, "worker") is null, TimeSpan.FromSeconds(20), "the job and the pod collected");
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
