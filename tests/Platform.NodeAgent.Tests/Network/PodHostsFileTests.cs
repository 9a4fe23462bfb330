using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Network;

/// <summary>
/// The files a pod's sandbox no longer gets from Docker, written by the agent as kubelet writes them: <c>/etc/hosts</c>
/// with localhost, the pod's own address under its host name (and its subdomain's name) and its <c>hostAliases</c>;
/// a host-network pod's aliases after the node's file; and a resolv.conf for every pod on the pod network.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PodHostsFileTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _cidr = NodeAgentHost.NextPodCidr();
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task APodsHostsFile_NamesItsOwnAddress_AndItsAliases_WhichResolve()
    {
        await _scope.StartAgentAsync(s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = _cidr;
        });
        var ns = _scope.Namespace;
        var aliases = new List<HostAlias>
        {
            new() { Ip = "127.0.0.1", Hostnames = ["foo.local", "bar.local"] },
            new() { Ip = "10.1.2.3", Hostnames = ["far.remote"] },
        };
        var web = PodNetworkTests.Httpd80("web-0", _scope.Node);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", web with
        {
            Spec = web.Spec with { Hostname = "web-0", Subdomain = "nginx", HostAliases = aliases, DnsPolicy = "Default" },
        });
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, $"/api/v1/namespaces/{ns}",
            System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}"""));
        var hostNet = PodNetworkTests.Httpd80("hostnet", _scope.Node);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", hostNet with
        {
            Spec = hostNet.Spec with
            {
                HostNetwork = true, HostAliases = [new() { Ip = "127.0.0.1", Hostnames = ["agent.local"] }],
                Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["sleep", "3600"] }],
            },
        });
        var pod = await _scope.WaitPodAsync("web-0", p => p.IsReady(), "web-0 Ready");
        var host = await _scope.WaitPodAsync("hostnet", p => p.Status?.ContainerStatuses is [{ Ready: true }], "hostnet running");

        var hosts = await PodNetworkTests.ExecAsync(cluster, pod, ["cat", "/etc/hosts"]);
        Assert.StartsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n", hosts);
        Assert.Contains($"\n{pod.Status!.PodIP}\tweb-0.nginx.{ns}.svc.cluster.local\tweb-0\n", hosts);
        Assert.EndsWith("\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfar.remote\n", hosts);
        foreach (var name in new[] { "localhost", "foo.local", "bar.local", "web-0", $"web-0.nginx.{ns}.svc.cluster.local" })
            Assert.Equal("platform busybox\n", await PodNetworkTests.ExecAsync(cluster, pod, ["wget", "-qO-", $"http://{name}/index.html"]));

        // The pod's own resolver (dnsPolicy: Default) is the node's, without loopback nameservers it could not reach.
        var (code, resolvConf, stderr) = await PodNetworkTests.TryExecAsync(cluster, pod, ["cat", "/etc/resolv.conf"]);
        Assert.True(code == 0, $"no /etc/resolv.conf in the pod: {stderr}");
        Assert.DoesNotContain("nameserver 127.", resolvConf);

        var nodeHosts = await PodNetworkTests.ExecAsync(cluster, host, ["cat", "/etc/hosts"]);
        Assert.StartsWith("# Kubernetes-managed hosts file (host network).\n", nodeHosts);
        Assert.Contains(await File.ReadAllTextAsync("/etc/hosts"), nodeHosts);
        Assert.EndsWith("\n# Entries added by HostAliases.\n127.0.0.1\tagent.local\n", nodeHosts);
    }
}
