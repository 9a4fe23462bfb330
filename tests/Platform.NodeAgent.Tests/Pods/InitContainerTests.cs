using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;
using Platform.NodeAgent.Tests.Cli;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Pods;

[Collection(ClusterCollection.Name)]
public sealed class InitContainerTests(ClusterFixture cluster) : IAsyncLifetime
{
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    private Task<NodeAgentHost> StartAgentAsync(Action<Dictionary<string, string?>>? configure = null) => _scope.StartAgentAsync(configure);

    private Task<Pod> WaitPodAsync(string name, Func<Pod, bool> condition, string what, int seconds = 60) => _scope.WaitPodAsync(name, condition, what, seconds);

    private static Container Init(string name, string script, params VolumeMount[] mounts) =>
        new() { Name = name, Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", script], VolumeMounts = [.. mounts] };

    /// <summary>Two init containers fill an emptyDir that busybox httpd then serves as its document root.</summary>
    private Pod WebWithInit(string name, string? restartPolicy = null, params Container[] inits) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            NodeName = _scope.Node,
            RestartPolicy = restartPolicy,
            TerminationGracePeriodSeconds = 1,
            Volumes = [new Volume { Name = "site", EmptyDir = new EmptyDirVolumeSource() }],
            InitContainers = [.. inits],
            Containers = [ClusterApi.HttpdContainer() with { VolumeMounts = [new VolumeMount { Name = "site", MountPath = "/www" }] }],
        },
    };

    private static readonly VolumeMount Site = new() { Name = "site", MountPath = "/www" };

    [Fact]
    public async Task InitContainers_RunInOrderToCompletion_BeforeTheAppServesWhatTheyWrote()
    {
        await StartAgentAsync();
        // The first init container takes a second, so the pod is seen initializing; the second needs the first's file.
        var pod = WebWithInit("site", null,
            Init("fetch", "sleep 1 && echo first > /www/index.html", Site),
            Init("render", "[ -f /www/index.html ] && echo second >> /www/index.html", Site));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);

        var initializing = await WaitPodAsync("site", p => p.Status?.InitContainerStatuses?[0].State?.Running is not null, "first init container running");
        Assert.Equal("Pending", initializing.Status!.Phase);
        var initialized = initializing.Status.Conditions!.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized"), (initialized.Status, initialized.Reason));
        Assert.Equal("PodInitializing", initializing.Status.ContainerStatuses![0].State!.Waiting!.Reason);
        Assert.Null(initializing.Status.ContainerStatuses[0].ContainerID);
        var (ready, status) = await Platformctl.PodRowAsync(cluster.ApiServer, _scope.Namespace, "site");
        Assert.Equal(("0/1", "Init:0/2"), (ready, status));

        var running = await WaitPodAsync("site", p => p.IsReady(), "app Ready after both init containers");
        Assert.Equal("Running", running.Status!.Phase);
        Assert.Equal("True", running.Status.Conditions!.Single(c => c.Type == "Initialized").Status);
        var inits = running.Status.InitContainerStatuses!;
        Assert.Equal(["fetch", "render"], inits.Select(s => s.Name!));
        Assert.All(inits, s => Assert.Equal((0, "Completed", true, 0), (s.State!.Terminated!.ExitCode, s.State.Terminated.Reason, s.Ready, s.RestartCount)));
        Assert.True(inits[0].State!.Terminated!.FinishedAt <= inits[1].State!.Terminated!.StartedAt, "render started before fetch finished");
        Assert.True(inits[1].State!.Terminated!.FinishedAt <= running.Status.ContainerStatuses![0].State!.Running!.StartedAt, "the app started before render finished");

        using var http = new HttpClient();
        Assert.Equal("first\nsecond\n", await http.GetStringAsync($"http://127.0.0.1:{running.Status.AllocatedPorts!["http"]}/index.html"));
        Assert.Equal(("1/1", "Running"), await Platformctl.PodRowAsync(cluster.ApiServer, _scope.Namespace, "site"));
    }

    [Fact]
    public async Task FailingInitContainer_WithRestartPolicyNever_FailsThePod_AndTheAppIsNeverCreated()
    {
        await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", WebWithInit("broken", "Never", Init("migrate", "exit 7")));

        var failed = await WaitPodAsync("broken", p => p.Status?.Phase == "Failed", "pod Failed");
        var init = Assert.Single(failed.Status!.InitContainerStatuses!);
        Assert.Equal((7, "Error", 0), (init.State!.Terminated!.ExitCode, init.State.Terminated.Reason, init.RestartCount));
        Assert.Equal("False", failed.Status.Conditions!.Single(c => c.Type == "Initialized").Status);
        Assert.Null(failed.Status.ContainerStatuses![0].ContainerID);
        Assert.Equal("Init:Error", (await Platformctl.PodRowAsync(cluster.ApiServer, _scope.Namespace, "broken")).Status);

        var containers = await PodContainersAsync(failed.Metadata.Uid!);
        var only = Assert.Single(containers);
        Assert.Equal("migrate", only.Labels[ContainerLabels.Container]);
        Assert.Equal("true", only.Labels[ContainerLabels.InitContainer]);
    }

    [Fact]
    public async Task FailingInitContainer_WithRestartPolicyOnFailure_IsRestartedWithBackOff_AndShownAsInitCrashLoop()
    {
        await StartAgentAsync(s => s["NodeAgent:BackOffInitial"] = "00:00:01");
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", WebWithInit("retry", "OnFailure", Init("wait-for-db", "exit 1")));

        var looping = await WaitPodAsync("retry", p => p.Status?.InitContainerStatuses?[0] is { RestartCount: >= 2, State.Waiting.Reason: "CrashLoopBackOff" }, "init container restarted, then in back-off");
        Assert.Equal("Pending", looping.Status!.Phase);
        Assert.Equal(1, looping.Status.InitContainerStatuses![0].LastState?.Terminated?.ExitCode);
        Assert.Null(looping.Status.ContainerStatuses![0].ContainerID);
        await Eventually.WaitAsync(async () => (await Platformctl.PodRowAsync(cluster.ApiServer, _scope.Namespace, "retry")).Status == "Init:CrashLoopBackOff",
            TimeSpan.FromSeconds(30), "get pods shows Init:CrashLoopBackOff");
        await WaitPodAsync("retry", p => p.Status?.InitContainerStatuses?[0].RestartCount >= 3, "restart count keeps growing", 30);
        Assert.DoesNotContain(await PodContainersAsync(looping.Metadata.Uid!), c => c.Labels[ContainerLabels.Container] == "web");
    }

    [Fact]
    public async Task RestartedAgent_DoesNotRunCompletedInitContainersAgain()
    {
        var agent = await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", WebWithInit("once", null, Init("seed", "echo seeded > /www/index.html", Site)));
        var before = (await WaitPodAsync("once", p => p.IsReady(), "pod Ready")).Status!;

        await _scope.StopAgentAsync(agent);
        var restarted = await StartAgentAsync();
        await restarted.Pods.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        // A pod created after the restart being Ready means the restarted agent has synced for a while.
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("after", _scope.Node));
        await WaitPodAsync("after", p => p.IsReady(), "a pod created after the restart is Ready");

        var after = (await _scope.Admin.GetPodAsync(_scope.Namespace, "once"))!.Status!;
        Assert.True(after.Conditions!.Single(c => c.Type == "Ready").Status == "True");
        Assert.Equal(before.InitContainerStatuses![0].ContainerID, after.InitContainerStatuses![0].ContainerID);
        Assert.Equal(before.InitContainerStatuses[0].State!.Terminated!.StartedAt, after.InitContainerStatuses[0].State!.Terminated!.StartedAt);
        Assert.Equal(before.ContainerStatuses![0].ContainerID, after.ContainerStatuses![0].ContainerID);
        Assert.Equal(0, after.InitContainerStatuses[0].RestartCount);
        var containers = await PodContainersAsync((await _scope.Admin.GetPodAsync(_scope.Namespace, "once"))!.Metadata.Uid!);
        Assert.Equal(["seed", "web"], containers.Select(c => c.Labels[ContainerLabels.Container]).Order());
    }

    [Fact]
    public async Task InitContainerWithProbe_IsRejectedByTheApiServer_NamingTheField()
    {
        var pod = WebWithInit("probed", null, Init("setup", "true") with { ReadinessProbe = new Probe { Exec = new ExecAction { Command = ["true"] } } });
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod));
        // 422 Invalid, as Kubernetes answers (and this apiserver does for every field error).
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, ex.StatusCode);
        Assert.Contains("spec.initContainers[0].readinessProbe", ex.Message);
    }

    [Fact]
    public async Task CpuRequest_BecomesCpuShares_AndLimitsBecomeCfsQuotaAndMemory()
    {
        await StartAgentAsync();
        var pod = new Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = "sized" },
            Spec = new PodSpec
            {
                NodeName = _scope.Node,
                TerminationGracePeriodSeconds = 1,
                Containers =
                [
                    new Container
                    {
                        Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"],
                        Resources = new Platform.Contracts.Resources.ResourceRequirements
                        {
                            Requests = new ResourceList { ["cpu"] = "250m", ["memory"] = "32Mi" },
                            Limits = new ResourceList { ["cpu"] = "500m", ["memory"] = "64Mi" },
                        },
                    },
                    new Container { Name = "limited", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"], Resources = new Platform.Contracts.Resources.ResourceRequirements { Limits = new ResourceList { ["cpu"] = "1" } } },
                    new Container { Name = "besteffort", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"] },
                ],
            },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        var running = await WaitPodAsync("sized", p => p.Status?.ContainerStatuses?.All(s => s.State?.Running is not null) == true, "containers running");

        async Task<HostConfig> HostConfigOf(string container) =>
            (await cluster.Docker.Client.Containers.InspectContainerAsync(running.Status!.ContainerStatuses!.Single(s => s.Name == container).ContainerID!["docker://".Length..])).HostConfig;
        var main = await HostConfigOf("main");
        Assert.Equal((256L, 100_000L, 50_000L, 64L * 1024 * 1024), (main.CPUShares, main.CPUPeriod, main.CPUQuota, main.Memory));
        Assert.Equal(0, main.MemoryReservation); // memory requests only guide the scheduler, as in kubelet
        var limited = await HostConfigOf("limited");
        Assert.Equal((1024L, 100_000L), (limited.CPUShares, limited.CPUQuota)); // the request defaults to the limit
        var besteffort = await HostConfigOf("besteffort");
        Assert.Equal((0L, 0L), (besteffort.CPUShares, besteffort.CPUQuota));
    }

    [Fact]
    public async Task MissingImage_IsShownByGetPods_AsErrImagePullOrImagePullBackOff()
    {
        await StartAgentAsync();
        var pod = ClusterApi.HttpdPod("noimage", _scope.Node) with
        {
            // A closed loopback registry: the pull fails at once and nothing leaves the machine.
            Spec = new PodSpec { NodeName = _scope.Node, Containers = [new Container { Name = "main", Image = "127.0.0.1:1/platform/absent:2.0" }] },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        await WaitPodAsync("noimage", p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff", "ErrImagePull");
        var (ready, status) = await Platformctl.PodRowAsync(cluster.ApiServer, _scope.Namespace, "noimage");
        Assert.Equal("0/1", ready);
        Assert.Contains(status, new[] { "ErrImagePull", "ImagePullBackOff" });
    }

    private async Task<List<ContainerListResponse>> PodContainersAsync(string uid) =>
        [.. await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.PodUid}={uid}"] = true } },
        })];

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
