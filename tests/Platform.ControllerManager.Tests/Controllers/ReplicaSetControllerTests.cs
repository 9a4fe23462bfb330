using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Platform.ApiServer.Client;
using Platform.ApiServer.Client.Events;
using Platform.ApiServer.Client.Informers;
using Platform.ControllerManager.Informers;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Controllers;
using Platform.ControllerManager.Controllers.ReplicaSet;
using Platform.Testing;
using RS = Platform.Contracts.Resources.ReplicaSet;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// The ReplicaSet reconcile against an in-memory apiserver, with the informer cache fed by the test: the interleavings
/// of cache events and a running reconcile are decided here instead of by Kafka's timing.
/// </summary>
public sealed class ReplicaSetControllerTests : IAsyncLifetime
{
    private const string Ns = "rs-test";
    private readonly FakePodApi _api = new();
    private readonly HttpClient _http;
    private readonly ClusterInformers _informers;
    private readonly ReplicaSetController _controller;

    public ReplicaSetControllerTests()
    {
        _http = new HttpClient(_api) { BaseAddress = new Uri("http://apiserver.test") };
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow); // expectations never expire, no resync
        var client = new ApiClient(_http);
        _informers = new ClusterInformers(new SharedInformerFactory(client, time, NullLoggerFactory.Instance));
        _controller = new ReplicaSetController(_informers, client,
            new EventRecorder(client, new EventRecorderOptions { Component = "controller-manager" }, time, NullLogger<EventRecorder>.Instance),
            Options.Create(new ControllerManagerOptions { Workers = 1 }), time, NullLogger<ReplicaSetController>.Instance);
    }

    private static RS Web(int replicas) => new()
    {
        ApiVersion = "apps/v1", Kind = "ReplicaSet",
        Metadata = new ObjectMeta { Name = "web", Namespace = Ns, Uid = "rs-uid", ResourceVersion = "1", Generation = 1 },
        Spec = new ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox" }] },
            },
        },
    };

    private void Observe(Pod pod) => _informers.Pods.Observe(pod);

    /// <summary>The first lists, as the apiserver would answer them: the ReplicaSets given, nothing else.</summary>
    private void Synced(params RS[] replicaSets)
    {
        _informers.ReplicaSets.Replace(replicaSets, 1);
        _informers.Pods.Replace([], 1);
        _informers.Deployments.Replace([], 1);
        _informers.Nodes.Replace([], 1);
        _informers.Services.Replace([], 1);
        _informers.Leases.Replace([], 1);
        _informers.Namespaces.Replace([], 1);
        _informers.ServiceAccounts.Replace([], 1);
        _informers.ClusterRoles.Replace([], 1);
        _informers.ResourceQuotas.Replace([], 1);
        _informers.ConfigMaps.Replace([], 1);
        _informers.Secrets.Replace([], 1);
        _informers.EndpointSlices.Replace([], 1);
        _informers.Endpoints.Replace([], 1);
        _informers.Jobs.Replace([], 1);
        _informers.CronJobs.Replace([], 1);
        _informers.PersistentVolumes.Replace([], 1);
        _informers.PersistentVolumeClaims.Replace([], 1);
        _informers.StorageClasses.Replace([], 1);
        _informers.DaemonSets.Replace([], 1);
        _informers.StatefulSets.Replace([], 1);
        _informers.ControllerRevisions.Replace([], 1);
    }

    [Fact]
    public async Task CreationsObservedWhileAReconcileIsUnderway_AreNotCreatedAgain()
    {
        Synced(Web(3));
        await _controller.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => _api.Created.Count == 3, TimeSpan.FromSeconds(10), "the first 3 pods created");
        var created = _api.Created.ToArray();

        // A matching orphan makes the next reconcile adopt it; that PATCH is held, so the reconcile has read the
        // pods (only the orphan) when the cache then sees all three creations, as a burst of Kafka events can do.
        _api.HoldAdoptions();
        Observe(new Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new ObjectMeta { Name = "orphan", Namespace = Ns, Uid = "orphan-uid", ResourceVersion = "10", Labels = new() { ["app"] = "web" } },
            Spec = new PodSpec(),
        });
        await _api.AdoptionArrived.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var pod in created) Observe(pod);
        var statusWrites = _api.StatusWrites;
        _api.ReleaseAdoptions();

        // That reconcile ends with a status write, and the one the three pod events queued meanwhile with another.
        await Eventually.WaitAsync(() => _api.StatusWrites >= statusWrites + 2, TimeSpan.FromSeconds(10), "both reconciles done");
        Assert.Equal(3, _api.Created.Count);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _controller.StopAsync(CancellationToken.None);
        _controller.Dispose();
        _http.Dispose();
        _api.Dispose();
    }
}
