using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Pods;

/// <summary>A pod's securityContext reaches Docker as kubelet hands it to its runtime; runAsNonRoot is checked as kubelet checks it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SecurityContextTests(ClusterFixture cluster) : IAsyncLifetime
{
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    public async Task DisposeAsync() => await _scope.DisposeAsync();

    private Pod ShellPod(string name, string script, SecurityContext? container, PodSecurityContext? pod = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = name },
        Spec = new PodSpec
        {
            NodeName = _scope.Node,
            TerminationGracePeriodSeconds = 1,
            SecurityContext = pod,
            Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", script], SecurityContext = container }],
        },
    };

    private async Task<(ContainerInspectResponse Inspect, string Logs)> RunningAsync(string name, string logLine)
    {
        var pod = await _scope.WaitPodAsync(name, p => p.Status?.ContainerStatuses?[0].State is { Running: not null } or { Waiting.Reason: "CreateContainerError" },
            "container running");
        Assert.True(pod.Status!.ContainerStatuses![0].State!.Running is not null, pod.Status.ContainerStatuses[0].State!.Waiting?.Message);
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        var logs = await Eventually.WaitAsync(async () =>
        {
            using var stream = await cluster.Docker.Client.Containers.GetContainerLogsAsync(id, tty: false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, CancellationToken.None);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
            var text = stdout + stderr;
            return text.Contains(logLine, StringComparison.Ordinal) ? text : null;
        }, TimeSpan.FromSeconds(30), $"log line '{logLine}'");
        return (await cluster.Docker.Client.Containers.InspectContainerAsync(id), logs);
    }

    [Fact]
    public async Task RunAsUser_ReadOnlyRoot_Capabilities_NoEscalation_Groups_ReachDocker_AndTheProcess()
    {
        await _scope.StartAgentAsync();
        var pod = ShellPod("hardened", "id; touch /probe; echo done; exec sleep 3600",
            new SecurityContext
            {
                RunAsUser = 1000, RunAsGroup = 3000, RunAsNonRoot = true, ReadOnlyRootFilesystem = true, AllowPrivilegeEscalation = false,
                Capabilities = new Capabilities { Drop = ["ALL"], Add = ["NET_BIND_SERVICE"] },
            },
            new PodSecurityContext { SupplementalGroups = [4000], FsGroup = 5000, SeccompProfile = new SeccompProfile { Type = "RuntimeDefault" } });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);

        var (inspect, logs) = await RunningAsync("hardened", "done");
        Assert.Equal("1000:3000", inspect.Config.User);
        Assert.True(inspect.HostConfig.ReadonlyRootfs);
        Assert.False(inspect.HostConfig.Privileged);
        Assert.Equal(["NET_BIND_SERVICE"], inspect.HostConfig.CapAdd);
        Assert.Equal(["ALL"], inspect.HostConfig.CapDrop);
        Assert.Equal(["no-new-privileges"], inspect.HostConfig.SecurityOpt);
        Assert.Equal(["4000", "5000"], inspect.HostConfig.GroupAdd);
        Assert.Contains("uid=1000 gid=3000", logs);
        Assert.Contains("4000", logs);
        Assert.Contains("Read-only file system", logs);
    }

    [Fact]
    public async Task SeccompUnconfinedAndSysctls_InANamespaceAnAdminMadePrivileged_ReachDocker()
    {
        await _scope.StartAgentAsync();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{_scope.Namespace}",
            System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}"""));
        var pod = ShellPod("unconfined", "cat /proc/sys/kernel/shm_rmid_forced; exec sleep 3600",
            new SecurityContext { SeccompProfile = new SeccompProfile { Type = "Unconfined" } },
            new PodSecurityContext { Sysctls = [new Sysctl { Name = "kernel.shm_rmid_forced", Value = "1" }] });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);

        var (inspect, logs) = await RunningAsync("unconfined", "1");
        Assert.Equal(["seccomp=unconfined"], inspect.HostConfig.SecurityOpt);
        Assert.Equal("1", inspect.HostConfig.Sysctls["kernel.shm_rmid_forced"]);
        Assert.Equal("1", logs.Trim());
        Assert.True(string.IsNullOrEmpty(inspect.Config.User));
    }

    [Fact]
    public async Task RunAsNonRoot_WithAnImageThatRunsAsRoot_IsACreateContainerConfigError_AndNothingIsCreated()
    {
        await _scope.StartAgentAsync();
        var created = await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods",
            ShellPod("rooted", "exec sleep 3600", null, new PodSecurityContext { RunAsNonRoot = true }));
        var uid = (string)created["metadata"]!["uid"]!;

        var pod = await _scope.WaitPodAsync("rooted", p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "CreateContainerConfigError", "CreateContainerConfigError");
        Assert.Equal($"container has runAsNonRoot and image will run as root (pod: \"rooted_{_scope.Namespace}({uid})\", container: main)",
            pod.Status!.ContainerStatuses![0].State!.Waiting!.Message);
        Assert.Equal("Pending", pod.Status.Phase);
        var containers = await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        Assert.DoesNotContain(containers, c => c.Labels.TryGetValue("io.platform.pod.uid", out var u) && u == uid);
        var events = await Eventually.WaitAsync(async () =>
            (await _scope.Admin.ListAsync<Event>($"/api/v1/namespaces/{_scope.Namespace}/events")).FirstOrDefault(e => e.Reason == "Failed" && e.InvolvedObject.Name == "rooted"),
            TimeSpan.FromSeconds(30), "the Failed event");
        Assert.StartsWith("Error: container has runAsNonRoot and image will run as root", events.Message);
    }

    [Fact]
    public async Task VolumeMountSubPath_MountsADirectoryInsideTheVolume()
    {
        await _scope.StartAgentAsync();
        var pod = ShellPod("subpath", "echo inside > /logs/f; cat /all/app/logs/f; exec sleep 3600", null);
        pod = pod with
        {
            Spec = pod.Spec with
            {
                Volumes = [new Volume { Name = "data", EmptyDir = new EmptyDirVolumeSource() }],
                Containers = [pod.Spec.Containers[0] with
                {
                    VolumeMounts = [new VolumeMount { Name = "data", MountPath = "/logs", SubPath = "app/logs" }, new VolumeMount { Name = "data", MountPath = "/all" }],
                }],
            },
        };
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod);
        var (_, logs) = await RunningAsync("subpath", "inside");
        Assert.Equal("inside", logs.Trim());
    }
}
