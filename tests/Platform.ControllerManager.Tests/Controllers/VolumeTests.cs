using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers;

/// <summary>
/// Persistent volumes end to end: the binder, the scheduler's VolumeBinding, the node agents' local provisioner and
/// claim mounts, on the real apiserver, two real node agents and dockerd.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class VolumeTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _group = Guid.NewGuid().ToString("N")[..8];
    private TestScope _scope = null!;

    public async Task InitializeAsync() => _scope = await TestScope.CreateAsync(cluster);

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    private string Ns => _scope.Namespace;

    [Fact]
    public async Task ClaimOfTheDefaultClass_IsProvisionedWhereItsPodIsScheduled_KeepsItsDataForTheNextPod_AndIsDeletedWithTheClaim()
    {
        await _scope.StartControllersAsync();
        var scheduler = await _scope.StartSchedulerAsync();
        var nodes = new[] { ClusterApi.NewName("node"), ClusterApi.NewName("node") };
        foreach (var node in nodes) await _scope.StartAgentAsync(node, s => s["NodeAgent:Labels:volume-test"] = _group);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims", new PersistentVolumeClaim
        {
            ApiVersion = "v1", Kind = "PersistentVolumeClaim", Metadata = new ObjectMeta { Name = "data" },
            Spec = new PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new ResourceRequirements { Requests = new ResourceList { ["storage"] = "10Mi" } } },
        });

        // The default class waits for the first consumer: no volume, no node yet.
        var waiting = await Eventually.WaitAsync(async () => (await EventsAsync("data")).FirstOrDefault(e => e.Reason == "WaitForFirstConsumer"),
            TimeSpan.FromSeconds(30), "WaitForFirstConsumer event on the claim");
        Assert.Equal("waiting for first consumer to be created before binding", waiting.Message);
        Assert.Equal(("standard", "Pending"), await ClaimAsync(c => (c.Spec.StorageClassName, c.Status?.Phase)));

        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{Ns}/pods", Writer("writer", scheduler, "echo hello > /data/f"));
        var writer = await WaitRunningAsync("writer");
        var claim = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data") is { Status.Phase: "Bound" } c ? c : null,
            TimeSpan.FromSeconds(30), "the claim bound");
        Assert.Equal(writer.Spec.NodeName, claim.Metadata.Annotations![PersistentVolumeClaim.SelectedNodeAnnotation]);
        Assert.Equal("pvc-" + claim.Metadata.Uid, claim.Spec.VolumeName);
        Assert.Equal("10Mi", claim.Status!.Capacity!["storage"]);
        var pv = (await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{claim.Spec.VolumeName}"))!;
        Assert.Equal(("Bound", "Delete", "standard"), (pv.Status?.Phase, pv.Spec.PersistentVolumeReclaimPolicy, pv.Spec.StorageClassName));
        Assert.Equal(writer.Spec.NodeName, Platform.Contracts.Storage.LocalVolumes.PinnedNode(pv.Spec));
        var dir = pv.Spec.Local!.Path!;
        Assert.Equal("hello\n", await Eventually.WaitAsync(() => WrittenAsync(Path.Combine(dir, "f")),
            TimeSpan.FromSeconds(20), "the writer's file in the volume's directory"));

        // The next pod of the claim goes to the volume's node, whichever of the two the scheduler would pick, and reads the data.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods/writer");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(Ns, "writer") is null, TimeSpan.FromSeconds(30), "the writer gone");
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{Ns}/pods", Writer("reader", scheduler, "cat /data/f > /data/g"));
        var reader = await WaitRunningAsync("reader");
        Assert.Equal(writer.Spec.NodeName, reader.Spec.NodeName);
        Assert.Equal("hello\n", await Eventually.WaitAsync(() => WrittenAsync(Path.Combine(dir, "g")),
            TimeSpan.FromSeconds(20), "the reader's copy of the writer's file"));

        // Deleting the claim while the reader uses it only marks it (pvc-protection): the volume stays bound under the pod.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data");
        var terminating = (await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data"))!;
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Contains(PersistentVolumeClaim.ProtectionFinalizer, terminating.Metadata.Finalizers!);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.NotNull(await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data"));
        Assert.Equal("Bound", (await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{pv.Metadata.Name}"))!.Status?.Phase);

        // The pod gone, the claim goes; its volume is released and, under Delete, removed with its directory by the node that made it.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods/reader");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data") is null,
            TimeSpan.FromSeconds(30), "the claim gone once no pod uses it");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{pv.Metadata.Name}") is null,
            TimeSpan.FromSeconds(30), "the released volume deleted");
        Assert.False(Directory.Exists(dir), dir);
    }

    /// <summary>
    /// The file's text once its pod has written a whole line, else null: the shell's <c>echo hello &gt; f</c> creates the file
    /// before it writes, and a read in between finds it empty.
    /// </summary>
    private static async Task<string?> WrittenAsync(string path) =>
        File.Exists(path) && await File.ReadAllTextAsync(path) is { } text && text.EndsWith('\n') ? text : null;

    [Fact]
    public async Task StaticVolumes_TheSmallestFitIsBound_AClaimNothingFitsWaits_AndRetainKeepsAReleasedVolume()
    {
        await _scope.StartControllersAsync();
        var names = new[] { "small", "large" }.ToDictionary(n => n, n => $"{n}-{_group}");
        foreach (var (size, name) in new[] { ("1Gi", names["small"]), ("5Gi", names["large"]) })
            await _scope.Admin.CreateAsync("/api/v1/persistentvolumes", new PersistentVolume
            {
                ApiVersion = "v1", Kind = "PersistentVolume", Metadata = new ObjectMeta { Name = name },
                Spec = new PersistentVolumeSpec
                {
                    Capacity = new ResourceList { ["storage"] = size }, AccessModes = ["ReadWriteOnce"], StorageClassName = "manual-" + _group,
                    HostPath = new HostPathVolumeSource { Path = "/tmp/" + name },
                },
            });
        await Eventually.WaitAsync(async () => (await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{names["small"]}"))?.Status?.Phase == "Available",
            TimeSpan.FromSeconds(30), "the volume Available");

        await CreateClaimAsync("fits", "500Mi");
        await CreateClaimAsync("huge", "10Gi");
        var bound = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/fits") is { Status.Phase: "Bound" } c ? c : null,
            TimeSpan.FromSeconds(30), "the claim bound");
        Assert.Equal((names["small"], "1Gi"), (bound.Spec.VolumeName, bound.Status!.Capacity!["storage"]));
        var small = (await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{names["small"]}"))!;
        Assert.Equal(("Bound", Ns, "fits", bound.Metadata.Uid), (small.Status?.Phase, small.Spec.ClaimRef?.Namespace, small.Spec.ClaimRef?.Name, small.Spec.ClaimRef?.Uid));

        var failed = await Eventually.WaitAsync(async () => (await EventsAsync("huge")).FirstOrDefault(e => e.Reason == "ProvisioningFailed"),
            TimeSpan.FromSeconds(30), "the claim nothing fits says why");
        Assert.Equal($"storageclass.storage.k8s.io \"manual-{_group}\" not found", failed.Message);
        Assert.Equal("Pending", (await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/huge"))!.Status?.Phase);

        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/persistentvolumeclaims/fits");
        var released = await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{names["small"]}") is { Status.Phase: "Released" } v ? v : null,
            TimeSpan.FromSeconds(30), "the volume Released");
        Assert.Equal("Retain", released.Spec.PersistentVolumeReclaimPolicy);
        foreach (var name in names.Values) await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/persistentvolumes/{name}");
    }

    private Task CreateClaimAsync(string name, string size) => _scope.Admin.CreateAsync($"/api/v1/namespaces/{Ns}/persistentvolumeclaims", new PersistentVolumeClaim
    {
        ApiVersion = "v1", Kind = "PersistentVolumeClaim", Metadata = new ObjectMeta { Name = name },
        Spec = new PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"], StorageClassName = "manual-" + _group,
            Resources = new ResourceRequirements { Requests = new ResourceList { ["storage"] = size } },
        },
    });

    /// <summary>A busybox pod of <paramref name="scheduler"/> on this test's nodes that runs <paramref name="script"/> on the claim <c>data</c> at /data, then sleeps.</summary>
    private Pod Writer(string name, SchedulerHost scheduler, string script) => new()
    {
        ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            SchedulerName = scheduler.SchedulerName,
            NodeSelector = new() { ["volume-test"] = _group },
            TerminationGracePeriodSeconds = 1,
            Volumes = [new Volume { Name = "data", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = "data" } }],
            Containers =
            [
                new Container
                {
                    Name = "c", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", script + " && exec sleep 3600"],
                    VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }],
                },
            ],
        },
    };

    private Task<Pod> WaitRunningAsync(string name) =>
        Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(Ns, name) is { Status.Phase: "Running" } p ? p : null, TimeSpan.FromSeconds(60), $"{name} Running");

    private async Task<T> ClaimAsync<T>(Func<PersistentVolumeClaim, T> pick) =>
        pick((await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data"))!);

    private async Task<List<Event>> EventsAsync(string claim) =>
        await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{Ns}/events?fieldSelector=involvedObject.name%3D{claim}");
}
