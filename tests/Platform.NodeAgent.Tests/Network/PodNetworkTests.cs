using System.Net;
using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Microsoft.Extensions.DependencyInjection;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.PortForward;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Network;

/// <summary>
/// Pods on the pod network of a real agent (root, iproute2, nftables, Docker): each in a sandbox with its own IP from
/// the node's podCIDR on the node bridge, reachable from the host and from each other, nothing left behind.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodNetworkTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _cidr = NodeAgentHost.NextPodCidr();
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    private Task<NodeAgentHost> StartAgentAsync() => StartAgentAsync(_scope, _cidr);

    private static Task<NodeAgentHost> StartAgentAsync(NodeScope scope, string cidr) => scope.StartAgentAsync(s =>
    {
        s["NodeAgent:PodNetwork:Enabled"] = "true";
        s["NodeAgent:PodNetwork:PodCidr"] = cidr;
    });

    internal static Pod Httpd80(string name, string node) => new()
    {
        ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = name, Labels = new() { ["app"] = "web" } },
        Spec = new PodSpec
        {
            NodeName = node, TerminationGracePeriodSeconds = 1,
            Containers =
            [
                new Container
                {
                    Name = "web", Image = DockerFixture.BusyboxImage, Command = ["httpd", "-f", "-h", "/www", "-p", "80"],
                    Ports = [new ContainerPort { Name = "http", Port = 80 }],
                    ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/index.html", Port = 80 }, PeriodSeconds = 1 },
                },
            ],
        },
    };

    [Fact]
    public async Task TwoPodsOnPort80_EachReadyOnItsOwnIp_ReachableFromTheHostAndEachOther_AndNothingIsLeftBehind()
    {
        var agent = await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("a", _scope.Node));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("b", _scope.Node));
        var a = await _scope.WaitPodAsync("a", p => p.IsReady(), "pod a Ready (httpGet probe on podIP:80)");
        var b = await _scope.WaitPodAsync("b", p => p.IsReady(), "pod b Ready");

        var net = IPNetwork.Parse(_cidr);
        foreach (var pod in new[] { a, b })
        {
            Assert.True(net.Contains(IPAddress.Parse(pod.Status!.PodIP!)), $"{pod.Status.PodIP} is not in {_cidr}");
            Assert.Equal([pod.Status.PodIP], pod.Status.PodIPs!.Select(i => i.Ip));
            Assert.Equal("127.0.0.1", pod.Status.HostIP);
            Assert.Null(pod.Status.AllocatedPorts);
        }
        Assert.NotEqual(a.Status!.PodIP, b.Status!.PodIP);
        Assert.NotEqual(net.BaseAddress.ToString(), a.Status.PodIP); // the network and the gateway are never leased

        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{a.Status.PodIP}/index.html"));
            Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{b.Status.PodIP}/index.html"));
        }
        Assert.Equal("platform busybox\n", await ExecAsync(a, ["wget", "-qO-", $"http://{b.Status.PodIP}/index.html"]));

        // Port forwarding connects to the pod's IP at the containerPort itself.
        var target = (await agent.Services.GetRequiredService<PodPortResolver>().FindAsync(_scope.Namespace, "a", null, CancellationToken.None))!;
        Assert.Equal([80], target.ContainerPorts);
        using (var socket = await target.ConnectAsync(80, CancellationToken.None))
        await using (var stream = new System.Net.Sockets.NetworkStream(socket))
        {
            await stream.WriteAsync("GET /index.html HTTP/1.0\r\n\r\n"u8.ToArray());
            Assert.EndsWith("platform busybox\n", await new StreamReader(stream).ReadToEndAsync());
        }

        // Both pods' containers share their sandbox's namespace: a's web container sees eth0 with a's IP.
        Assert.Contains(a.Status.PodIP!, await ExecAsync(a, ["cat", "/proc/net/fib_trie"]));

        var veths = new[] { a, b }.Select(p => NetworkNames.HostVeth(p.Metadata.Uid!)).ToList();
        Assert.All(veths, v => Assert.Contains(v, Links()));
        foreach (var name in new[] { "a", "b" })
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/{name}");
        await Eventually.WaitAsync(() => veths.All(v => !Links().Contains(v)), TimeSpan.FromSeconds(30), "veths of deleted pods gone");
        await Eventually.WaitAsync(() => !Directory.Exists(LeaseDir) || Directory.GetFiles(LeaseDir).Length == 0, TimeSpan.FromSeconds(10), "leases released");
        await Eventually.WaitAsync(async () => (await NodeContainersAsync()).Count == 0, TimeSpan.FromSeconds(30), "sandboxes removed");

        await _scope.DisposeAsync();
        _disposed = true;
        Assert.DoesNotContain(NetworkNames.Bridge(_scope.Node), Links());
        Assert.DoesNotContain(veths[0], Links());
    }

    [Fact]
    public async Task PodIp_ComesFromTheNodesSpecPodCidr_OverTheConfiguredFallback()
    {
        await _scope.StartAgentAsync(s => s["NodeAgent:PodNetwork:Enabled"] = "true"); // the fixture's own fallback CIDR
        await Eventually.WaitAsync(async () => await _scope.Admin.GetAsync<Node>($"/api/v1/nodes/{_scope.Node}") is not null, TimeSpan.FromSeconds(20), "node registered");
        // What the node IPAM controller would write.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/nodes/{_scope.Node}",
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["podCIDR"] = _cidr, ["podCIDRs"] = new System.Text.Json.Nodes.JsonArray(_cidr) } });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("web", _scope.Node));
        var pod = await _scope.WaitPodAsync("web", p => p.IsReady(), "pod Ready");
        Assert.True(IPNetwork.Parse(_cidr).Contains(IPAddress.Parse(pod.Status!.PodIP!)), $"{pod.Status.PodIP} is not in the node's podCIDR {_cidr}");
        try
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/web");
            await Eventually.WaitAsync(async () => (await NodeContainersAsync()).Count == 0, TimeSpan.FromSeconds(30), "pod removed");
        }
        finally
        {
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/nodes/{_scope.Node}");
        }
    }

    [Fact]
    public async Task HostNetworkPod_KeepsTheHostAddressAndAnAllocatedPort()
    {
        await StartAgentAsync();
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{_scope.Namespace}",
            System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}"""));
        var pod = ClusterApi.HttpdPod("host", _scope.Node);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", pod with { Spec = pod.Spec with { HostNetwork = true } });
        var ready = await _scope.WaitPodAsync("host", p => p.IsReady(), "hostNetwork pod Ready");
        Assert.Equal("127.0.0.1", ready.Status!.PodIP);
        var port = ready.Status.AllocatedPorts!["http"];
        using var http = new HttpClient();
        Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://127.0.0.1:{port}/index.html"));
        Assert.DoesNotContain(await NodeContainersAsync(), c => c.Labels.ContainsKey("io.platform.pod.sandbox"));
    }

    [Fact]
    public async Task RestartedAgent_KeepsLeases_AndRemovesWhatPodsGoneMeanwhileLeft()
    {
        var agent = await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("kept", _scope.Node));
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("gone", _scope.Node));
        var kept = await _scope.WaitPodAsync("kept", p => p.IsReady(), "kept Ready");
        var gone = await _scope.WaitPodAsync("gone", p => p.IsReady(), "gone Ready");

        await _scope.StopAgentAsync(agent);
        // While the agent is down: the pod goes for good, and a lease of a pod this node never ran appears.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, $"/api/v1/namespaces/{_scope.Namespace}/pods/gone?gracePeriodSeconds=0");
        await Eventually.WaitAsync(async () => await _scope.Admin.GetPodAsync(_scope.Namespace, "gone") is null, TimeSpan.FromSeconds(10), "gone deleted");
        var stale = Path.Combine(LeaseDir, IPNetwork.Parse(_cidr).BaseAddress.ToString()[..^1] + "250");
        await File.WriteAllTextAsync(stale, "no-such-pod");

        var restarted = await StartAgentAsync();
        await restarted.Pods.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(stale), "the stale lease survived the restart");
        Assert.DoesNotContain(NetworkNames.HostVeth(gone.Metadata.Uid!), Links());
        Assert.DoesNotContain(await NodeContainersAsync(), c => c.Labels["io.platform.pod.uid"] == gone.Metadata.Uid);
        Assert.Equal([kept.Metadata.Uid!], Directory.GetFiles(LeaseDir).Select(f => File.ReadAllText(f).Trim()));

        var after = await _scope.WaitPodAsync("kept", p => p.IsReady() && p.Status!.PodIP == kept.Status!.PodIP, "kept Ready on the same IP");
        Assert.Equal(kept.Status!.ContainerStatuses![0].ContainerID, after.Status!.ContainerStatuses![0].ContainerID);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{kept.Status.PodIP}/index.html"));
    }

    [Fact]
    public async Task DeadSandbox_IsReplaced_AndTheContainersRestartInIt_OnTheSameIp()
    {
        await StartAgentAsync();
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{_scope.Namespace}/pods", Httpd80("web", _scope.Node));
        var before = await _scope.WaitPodAsync("web", p => p.IsReady(), "web Ready");
        var sandbox = (await NodeContainersAsync()).Single(c => c.Labels.ContainsKey("io.platform.pod.sandbox"));
        await cluster.Docker.Client.Containers.KillContainerAsync(sandbox.ID, new ContainerKillParameters { Signal = "KILL" });

        var after = await _scope.WaitPodAsync("web", p => p.IsReady() && p.Status!.ContainerStatuses![0].RestartCount == 1, "web restarted in a new sandbox and Ready");
        Assert.Equal(before.Status!.PodIP, after.Status!.PodIP);
        Assert.DoesNotContain(await NodeContainersAsync(), c => c.ID == sandbox.ID);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("platform busybox\n", await http.GetStringAsync($"http://{after.Status.PodIP}/index.html"));
    }

    private string LeaseDir => Path.Combine(Path.GetTempPath(), "platform", "node-agent", _scope.Node, "network", "ipam");

    private static string Links()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", "-o link show") { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    private async Task<IList<ContainerListResponse>> NodeContainersAsync() =>
        await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.platform.node={_scope.Node}"] = true } },
        });

    private Task<string> ExecAsync(Pod pod, IList<string> command) => ExecAsync(cluster, pod, command);

    internal static async Task<(long Code, string Stdout, string Stderr)> TryExecAsync(ClusterFixture cluster, Pod pod, IList<string> command)
    {
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        var docker = cluster.Docker.Client;
        var exec = await docker.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true });
        using var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        return ((await docker.Exec.InspectContainerExecAsync(exec.ID)).ExitCode, stdout, stderr);
    }

    internal static async Task<string> ExecAsync(ClusterFixture cluster, Pod pod, IList<string> command)
    {
        var id = pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];
        var docker = cluster.Docker.Client;
        var exec = await docker.Exec.ExecCreateContainerAsync(id, new ContainerExecCreateParameters { Cmd = command, AttachStdout = true, AttachStderr = true });
        using var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        var code = (await docker.Exec.InspectContainerExecAsync(exec.ID)).ExitCode;
        Assert.True(code == 0, $"{string.Join(' ', command)} exited {code}: {stderr}");
        return stdout;
    }

    private bool _disposed;

    public async Task DisposeAsync()
    {
        if (!_disposed) await _scope.DisposeAsync();
    }
}
