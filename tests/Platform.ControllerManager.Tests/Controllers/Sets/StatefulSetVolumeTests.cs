using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.Sets;

/// <summary>
/// A StatefulSet's <c>volumeClaimTemplates</c> end to end: a claim per ordinal provisioned by the node agent's local
/// provisioner (the pods go through the scheduler for WaitForFirstConsumer), data that survives a pod's re-creation,
/// claims kept on scale-down under Retain and deleted under <c>whenScaled: Delete</c>.
/// </summary>
[Collection(ControllerCollection.Name)]
public sealed class StatefulSetVolumeTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _group = Guid.NewGuid().ToString("N")[..8];
    private TestScope _scope = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _scope = await TestScope.CreateAsync(cluster);
        await _scope.StartAgentAsync(ClusterApi.NewName("sts-node"), s => s["NodeAgent:Labels:sts-volume-test"] = _group);
        await _scope.StartControllersAsync();
        _scheduler = await _scope.StartSchedulerAsync();
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    private string Ns => _scope.Namespace;

    /// <summary>httpd pods that note each start in their volume and keep the first token they ever wrote.</summary>
    private StatefulSet Web() => new()
    {
        ApiVersion = "apps/v1", Kind = "StatefulSet", Metadata = new ObjectMeta { Name = "web" },
        Spec = new StatefulSetSpec
        {
            Replicas = 3,
            ServiceName = "web",
            Selector = new LabelSelector { MatchLabels = new() { ["app"] = "web" } },
            Template = new PodTemplateSpec
            {
                Metadata = new ObjectMeta { Labels = new() { ["app"] = "web" } },
                Spec = new PodSpec
                {
                    SchedulerName = _scheduler.SchedulerName,
                    NodeSelector = new() { ["sts-volume-test"] = _group },
                    TerminationGracePeriodSeconds = 1,
                    Containers = [ClusterApi.HttpdContainer() with
                    {
                        Command = ["sh", "-c", "[ -f /data/first ] || cat /proc/sys/kernel/random/uuid > /data/first; echo start >> /data/starts; exec httpd -f -h /www -p $(PORT)"],
                        VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/data" }],
                    }],
                },
            },
            VolumeClaimTemplates =
            [
                new PersistentVolumeClaim
                {
                    Metadata = new ObjectMeta { Name = "data" },
                    Spec = new PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new ResourceRequirements { Requests = new ResourceList { ["storage"] = "5Mi" } } },
                },
            ],
        },
    };

    [Fact]
    public async Task EachOrdinalGetsItsClaim_DataSurvivesItsPod_ScaleDownKeepsClaims_UnlessWhenScaledDelete()
    {
        await _scope.Admin.CreateAsync($"/apis/apps/v1/namespaces/{Ns}/statefulsets", Web());
        await WaitReadyAsync(3);
        var dirs = new Dictionary<int, string>();
        for (var i = 0; i < 3; i++) dirs[i] = await VolumeDirAsync(i);
        var tokens = dirs.ToDictionary(d => d.Key, d => File.ReadAllText(System.IO.Path.Combine(d.Value, "first")));
        Assert.Equal(3, tokens.Values.Distinct().Count());
        var claim = (await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data-web-1"))!;
        Assert.Equal("web", claim.Metadata.Labels!["app"]);
        Assert.Null(claim.Metadata.OwnerReferences); // Retain: nothing owns the claim

        // web-1 deleted and made again: the same claim, the same data, one more start.
        var before = (await _scope.Admin.GetPodAsync(Ns, "web-1"))!.Metadata.Uid;
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Ns}/pods/web-1");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(Ns, "web-1") is { } p && p.Metadata.Uid != before && p.IsReady(),
            TimeSpan.FromSeconds(60), "web-1 re-created and ready");
        Assert.Equal(tokens[1], File.ReadAllText(System.IO.Path.Combine(dirs[1], "first")));
        Assert.Equal(2, File.ReadAllLines(System.IO.Path.Combine(dirs[1], "starts")).Length);

        // Scale to 1 under Retain: the pods go, their claims and data stay, and come back with them.
        await ScaleAsync(1);
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(Ns, "web-1") is null && await _scope.Admin.GetPodAsync(Ns, "web-2") is null,
            TimeSpan.FromSeconds(60), "web-1 and web-2 gone");
        Assert.Equal(3, (await ClaimsAsync()).Count);
        await ScaleAsync(3);
        await WaitReadyAsync(3);
        Assert.Equal(3, File.ReadAllLines(System.IO.Path.Combine(dirs[1], "starts")).Length);
        Assert.Equal(tokens[2], File.ReadAllText(System.IO.Path.Combine(dirs[2], "first")));

        // whenScaled: Delete: a scale-down takes the condemned pods' claims, and their volumes, with them.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{Ns}/statefulsets/web",
            JsonNode.Parse("""{"spec":{"persistentVolumeClaimRetentionPolicy":{"whenScaled":"Delete"}}}"""));
        await ScaleAsync(1);
        await Eventually.WaitAsync(async () => (await ClaimsAsync()).Select(c => c.Metadata.Name).SequenceEqual(["data-web-0"]),
            TimeSpan.FromSeconds(60), "only data-web-0 left");
        await Eventually.WaitAsync(() => !Directory.Exists(dirs[2]) && !Directory.Exists(dirs[1]), TimeSpan.FromSeconds(30), "the condemned volumes' directories removed");
        Assert.Equal(tokens[0], File.ReadAllText(System.IO.Path.Combine(dirs[0], "first")));
    }

    private Task ScaleAsync(int replicas) =>
        ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{Ns}/statefulsets/web/scale", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });

    private async Task WaitReadyAsync(int count)
    {
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                for (var i = 0; i < count; i++)
                    if (!(await _scope.Admin.GetPodAsync(Ns, $"web-{i}")).IsReady()) return false;
                return true;
            }, TimeSpan.FromSeconds(120), $"web-0..{count - 1} ready");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{await DescribeAsync()}", ex);
        }
    }

    /// <summary>The pods, claims and events of the namespace, for a failure message.</summary>
    private async Task<string> DescribeAsync()
    {
        var lines = new List<string>();
        foreach (var p in await _scope.Admin.ListAsync<Pod>($"/api/v1/namespaces/{Ns}/pods"))
            lines.Add($"pod {p.Metadata.Name} node={p.Spec.NodeName} phase={p.Status?.Phase} ready={p.IsReady()} " +
                string.Join(",", (p.Status?.Conditions ?? []).Select(c => $"{c.Type}={c.Status}:{c.Reason}")) + " " +
                string.Join(",", (p.Status?.ContainerStatuses ?? []).Select(c => $"{c.Name}:{c.State?.Waiting?.Reason}{c.State?.Terminated?.Reason}/{c.RestartCount}")));
        foreach (var c in await _scope.Admin.ListAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims"))
            lines.Add($"claim {c.Metadata.Name} phase={c.Status?.Phase} volume={c.Spec.VolumeName} annotations={string.Join(",", c.Metadata.Annotations ?? [])}");
        foreach (var e in await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{Ns}/events"))
            lines.Add($"event {e.InvolvedObject.Kind}/{e.InvolvedObject.Name} {e.Type} {e.Reason}: {e.Message} x{e.Count}");
        return string.Join("\n", lines);
    }

    private async Task<List<PersistentVolumeClaim>> ClaimsAsync() =>
        [.. (await _scope.Admin.ListAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims")).Where(c => c.Metadata.DeletionTimestamp is null).OrderBy(c => c.Metadata.Name)];

    private async Task<string> VolumeDirAsync(int ordinal)
    {
        var claim = (await _scope.Admin.GetAsync<PersistentVolumeClaim>($"/api/v1/namespaces/{Ns}/persistentvolumeclaims/data-web-{ordinal}"))!;
        Assert.Equal("Bound", claim.Status?.Phase);
        var pv = (await _scope.Admin.GetAsync<PersistentVolume>($"/api/v1/persistentvolumes/{claim.Spec.VolumeName}"))!;
        return pv.Spec.Local!.Path!;
    }
}
