using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Pods;

[Collection(ClusterCollection.Name)]
public sealed class PodLifecycleTests(ClusterFixture cluster) : IAsyncLifetime
{
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    private Task<NodeAgentHost> StartAgentAsync(Action<Dictionary<string, string?>>? configure = null) => _scope.StartAgentAsync(configure);

    private Task<Pod> WaitPodAsync(string name, Func<Pod, bool> condition, string what, int seconds = 60) => _scope.WaitPodAsync(name, condition, what, seconds);

    [Fact]
    public async Task BoundPod_WithHttpGetReadiness_RunsReadyOnItsPort_AndKilledContainerIsRestarted()
    {
        await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("web", _scope.Node));

        var pod = await WaitPodAsync("web", p => p.IsReady(), "pod Ready");
        Assert.Equal("Running", pod.Status!.Phase);
        var port = pod.Status.AllocatedPorts!["http"];
        using (var http = new HttpClient())
            Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
        var status = Assert.Single(pod.Status.ContainerStatuses!);
        Assert.True(status.Ready);
        Assert.Equal(0, status.RestartCount);
        Assert.Equal(["ContainersReady", "Initialized", "PodScheduled", "Ready"], pod.Status.Conditions!.Select(c => c.Type!).Order());

        var id = status.ContainerID!["docker://".Length..];
        await cluster.Docker.Client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" });

        pod = await WaitPodAsync("web", p => p.Status?.ContainerStatuses?[0] is { RestartCount: 1, Ready: true }, "restartCount 1 and Ready again");
        var restarted = pod.Status!.ContainerStatuses![0];
        Assert.NotEqual(status.ContainerID, restarted.ContainerID);
        Assert.Equal(137, restarted.LastState?.Terminated?.ExitCode);
        Assert.Equal(port, pod.Status.AllocatedPorts!["http"]);
        using (var http = new HttpClient())
            Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
    }

    [Fact]
    public async Task CrashingContainer_GoesIntoCrashLoopBackOff_WithGrowingDelay()
    {
        await StartAgentAsync(s => s["NodeAgent:BackOffInitial"] = "00:00:01");
        var pod = ClusterApi.HttpdPod("crash", _scope.Node) with
        {
            Spec = new PodSpec { NodeName = _scope.Node, Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", "exit 3"] }] },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);

        var seen = await WaitPodAsync("crash", p => p.Status?.ContainerStatuses?[0] is { RestartCount: >= 3, State.Waiting.Reason: "CrashLoopBackOff" }, "three restarts then CrashLoopBackOff");
        var status = seen.Status!.ContainerStatuses![0];
        Assert.Equal(3, status.LastState?.Terminated?.ExitCode);
        Assert.Equal("Error", status.LastState?.Terminated?.Reason);
        Assert.False(status.Ready);
        Assert.Matches(@"^back-off \d+s restarting failed container=main", status.State!.Waiting!.Message);

        // Delays 0, 1, 2, 4 s: between the third and the fourth restart at least 2 s pass.
        var third = DateTime.UtcNow;
        await WaitPodAsync("crash", p => p.Status?.ContainerStatuses?[0].RestartCount >= 4, "fourth restart", 30);
        Assert.True(DateTime.UtcNow - third >= TimeSpan.FromSeconds(1.5), "the back-off did not grow");
        var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
        Assert.Contains(events, e => e.Reason == "BackOff" && e.InvolvedObject.Name == "crash");
    }

    [Fact]
    public async Task DeletedPod_ContainersAreStoppedAndRemoved()
    {
        await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("gone", _scope.Node));
        var pod = await WaitPodAsync("gone", p => p.IsReady(), "pod Ready");
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];

        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/gone");

        await Eventually.WaitAsync(async () =>
        {
            var list = await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
            return list.All(c => c.ID != id);
        }, TimeSpan.FromSeconds(30), "container removed");
    }

    [Fact]
    public async Task RestartedAgent_AdoptsRunningContainers_WithoutRestartingThem_AndKeepsThemReady()
    {
        var agent = await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("kept", _scope.Node));
        var ready = await WaitPodAsync("kept", p => p.IsReady(), "pod Ready");
        var before = ready.Status!;

        // Every version of the pod from here on: a restarted agent must not withdraw a serving pod (Ready=False) until its
        // first probe, as kubelet keeps the readiness a running container had.
        using var stopWatch = new CancellationTokenSource();
        var notReady = 0;
        var watch = Task.Run(async () =>
        {
            using var response = await _scope.Admin.GetAsync(
                $"/api/v1/namespaces/{_scope.Namespace}/pods?watch=true&resourceVersion={ready.Metadata.ResourceVersion}",
                HttpCompletionOption.ResponseHeadersRead, stopWatch.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stopWatch.Token));
            while (await reader.ReadLineAsync(stopWatch.Token) is { } line)
            {
                var pod = System.Text.Json.JsonSerializer.Deserialize<WatchLine>(line, ResourceJson.Options)?.Object;
                if (pod?.Metadata.Name == "kept" && !pod.IsReady()) Interlocked.Increment(ref notReady);
            }
        });

        await _scope.StopAgentAsync(agent);
        var agentPods = (await StartAgentAsync()).Pods;
        await agentPods.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", ClusterApi.HttpdPod("after", _scope.Node));
        await WaitPodAsync("after", p => p.IsReady(), "a pod created after the restart is Ready");
        var kept = (await _scope.Admin.GetPodAsync(_scope.Namespace, "kept"))!.Status!;
        Assert.Equal(before.ContainerStatuses![0].ContainerID, kept.ContainerStatuses![0].ContainerID);
        Assert.Equal(0, kept.ContainerStatuses[0].RestartCount);
        Assert.NotEqual(before.AllocatedPorts!["http"], (await _scope.Admin.GetPodAsync(_scope.Namespace, "after"))!.Status!.AllocatedPorts!["http"]);

        await stopWatch.CancelAsync();
        try { await watch; }
        catch (OperationCanceledException) { }
        Assert.True(notReady == 0, $"the restarted agent reported the serving pod not ready {notReady} time(s)");
    }

    private sealed record WatchLine(string Type, Pod? Object);

    [Fact]
    public async Task FailingLivenessProbe_RestartsTheContainer_WhileExecAndTcpProbesKeepItReady()
    {
        await StartAgentAsync();
        var probes = ClusterApi.HttpdPod("probed", _scope.Node) with
        {
            Spec = new PodSpec
            {
                NodeName = _scope.Node,
                TerminationGracePeriodSeconds = 1,
                Containers =
                [
                    ClusterApi.HttpdContainer() with
                    {
                        ReadinessProbe = new Probe { TcpSocket = new TcpSocketAction { Port = "http" }, PeriodSeconds = 1 },
                        StartupProbe = new Probe { Exec = new ExecAction { Command = ["cat", "/www/index.html"] }, PeriodSeconds = 1 },
                        // Liveness asks for a page httpd does not have: after 2 failures the container is restarted.
                        LivenessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz", Port = "http" }, PeriodSeconds = 1, FailureThreshold = 2 },
                    },
                ],
            },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", probes);

        await WaitPodAsync("probed", p => p.IsReady() && p.Status!.ContainerStatuses![0].Started == true, "startup, then tcpSocket readiness");
        await WaitPodAsync("probed", p => p.Status?.ContainerStatuses?[0].RestartCount >= 1, "restart after failed liveness probe", 60);
        await Eventually.WaitAsync(async () =>
        {
            var events = await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events");
            return events.Any(e => e.Reason == "Unhealthy" && e.Message!.Contains("Liveness", StringComparison.Ordinal))
                && events.Any(e => e.Reason == "Killing" && e.InvolvedObject.Name == "probed");
        }, TimeSpan.FromSeconds(20), "Unhealthy and Killing events");
    }

    [Fact]
    public async Task Env_FromLiteralConfigMapSecretEnvFromAndFieldRef_AndNamedPortVariables_ReachTheContainer()
    {
        await StartAgentAsync();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/configmaps",
            System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"color":"blue"}}"""));
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/secrets",
            System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds"},"data":{"password":"czNjcmV0"}}"""));
        // envFrom (with a prefix; env overrides it), and the downward API (fieldRef).
        var check = """[ "$COLOR" = blue ] && [ "$PASSWORD" = s3cret ] && [ "$GREETING" = "hello blue" ] && [ "$PORT" = "$PORT_HTTP" ] && [ -n "$PORT_ADMIN" ]"""
            + """ && [ "$CFG_color" = blue ] && [ "$password" = s3cret ] && [ "$MY_NAME" = env ] && [ "$MY_NODE" = "$NODE_EXPECTED" ]"""
            + """ && [ "$MY_TIER" = web ] && [ "$MY_HOST_IP" = 127.0.0.1 ] && [ -n "$MY_POD_IP" ] && [ "$MY_SA" = default ]""";
        var pod = ClusterApi.HttpdPod("env", _scope.Node) with
        {
            Metadata = new ObjectMeta { Name = "env", Labels = new() { ["tier"] = "web" } },
            Spec = new PodSpec
            {
                NodeName = _scope.Node,
                Containers =
                [
                    ClusterApi.HttpdContainer() with
                    {
                        Ports = [new ContainerPort { Name = "http", Port = 8080 }, new ContainerPort { Name = "admin", Port = 9090 }],
                        EnvFrom =
                        [
                            new EnvFromSource { Prefix = "CFG_", ConfigMapRef = new LocalObjectReference { Name = "settings" } },
                            new EnvFromSource { SecretRef = new LocalObjectReference { Name = "creds" } },
                            new EnvFromSource { ConfigMapRef = new LocalObjectReference { Name = "absent", Optional = true } },
                        ],
                        Env =
                        [
                            new EnvVar { Name = "MY_NAME", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.name" } } },
                            new EnvVar { Name = "MY_NODE", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
                            new EnvVar { Name = "NODE_EXPECTED", Value = _scope.Node },
                            new EnvVar { Name = "MY_TIER", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "metadata.labels['tier']" } } },
                            new EnvVar { Name = "MY_HOST_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.hostIP" } } },
                            new EnvVar { Name = "MY_POD_IP", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "status.podIP" } } },
                            new EnvVar { Name = "MY_SA", ValueFrom = new EnvVarSource { FieldRef = new ObjectFieldSelector { FieldPath = "spec.serviceAccountName" } } },
                            new EnvVar { Name = "COLOR", ValueFrom = new EnvVarSource { ConfigMapKeyRef = new KeySelector { Name = "settings", Key = "color" } } },
                            new EnvVar { Name = "PASSWORD", ValueFrom = new EnvVarSource { SecretKeyRef = new KeySelector { Name = "creds", Key = "password" } } },
                            new EnvVar { Name = "GREETING", Value = "hello $(COLOR)" },
                        ],
                        ReadinessProbe = new Probe { Exec = new ExecAction { Command = ["sh", "-c", check] }, PeriodSeconds = 1 },
                    },
                ],
            },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        var ready = await WaitPodAsync("env", p => p.IsReady(), "exec readiness probe sees the environment");
        Assert.Equal(2, ready.Status!.AllocatedPorts!.Count);
        Assert.NotEqual(ready.Status.AllocatedPorts["http"], ready.Status.AllocatedPorts["admin"]);
    }

    [Fact]
    public async Task Volumes_ConfigMapAndSecretFiles_AndAnEmptyDirSharedByTwoContainers()
    {
        await StartAgentAsync();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/configmaps",
            System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"files"},"data":{"color":"green"}}"""));
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{_scope.Namespace}/secrets",
            System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"keys"},"data":{"token":"czNjcmV0"}}"""));
        var pod = new Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = "vols" },
            Spec = new PodSpec
            {
                NodeName = _scope.Node,
                TerminationGracePeriodSeconds = 1,
                Volumes =
                [
                    new Volume { Name = "config", ConfigMap = new ConfigMapVolumeSource { Name = "files" } },
                    new Volume { Name = "secret", Secret = new SecretVolumeSource { SecretName = "keys" } },
                    new Volume { Name = "shared", EmptyDir = new EmptyDirVolumeSource() },
                ],
                Containers =
                [
                    new Container
                    {
                        Name = "writer", Image = DockerFixture.BusyboxImage,
                        Command = ["sh", "-c", "cat /etc/config/color /etc/secret/token > /data/out && sleep 3600"],
                        VolumeMounts =
                        [
                            new VolumeMount { Name = "config", MountPath = "/etc/config" },
                            new VolumeMount { Name = "secret", MountPath = "/etc/secret" },
                            new VolumeMount { Name = "shared", MountPath = "/data" },
                        ],
                    },
                    new Container
                    {
                        Name = "reader", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"],
                        VolumeMounts = [new VolumeMount { Name = "shared", MountPath = "/shared", ReadOnly = true }],
                        ReadinessProbe = new Probe { Exec = new ExecAction { Command = ["sh", "-c", "[ \"$(cat /shared/out)\" = \"greens3cret\" ]"] }, PeriodSeconds = 1 },
                    },
                ],
            },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        var ready = await WaitPodAsync("vols", p => p.IsReady(), "the reader sees the writer's file built from the ConfigMap and Secret");
        Assert.Equal(2, ready.Status!.ContainerStatuses!.Count);
    }

    [Fact]
    public async Task MissingImage_ReportsErrImagePull_ThenBacksOff()
    {
        await StartAgentAsync();
        var pod = ClusterApi.HttpdPod("noimage", _scope.Node) with
        {
            Spec = new PodSpec { NodeName = _scope.Node, Containers = [new Container { Name = "main", Image = "127.0.0.1:1/platform/does-not-exist:1.0", ImagePullPolicy = "IfNotPresent" }] },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        // The registry is a closed loopback port, so the pull fails at once and nothing leaves the machine.
        var seen = await WaitPodAsync("noimage", p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff", "ErrImagePull");
        Assert.Equal("Pending", seen.Status!.Phase);
        // Only the back-off path reports ImagePullBackOff: the agent waits before pulling again instead of retrying every sync.
        seen = await WaitPodAsync("noimage", p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason is "ImagePullBackOff", "ImagePullBackOff");
        Assert.Contains("platform/does-not-exist", seen.Status!.ContainerStatuses![0].State!.Waiting!.Message);
    }

    public async Task DisposeAsync() => await _scope.DisposeAsync();
}
