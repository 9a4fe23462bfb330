using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Network;
using Platform.Testing;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Dns;

/// <summary>
/// Seed 001's names from inside a pod on the pod network: the node's cluster DNS answers <c>db-service</c> and the full
/// name, a headless Service lists each ready endpoint, SRV gives the port; <c>wget http://web</c>, <c>http://web.NS</c>
/// and the full name reach a pod through the pod's search path, and <c>front</c>, <c>front.NS</c> and the full name reach
/// it through a ClusterIP and the node's Service proxy.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDnsPodTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly string _cidr = NodeAgentHost.NextPodCidr();
    private NodeScope _scope = null!;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    public Task DisposeAsync() => _scope.DisposeAsync().AsTask();

    [Fact]
    public async Task APod_ResolvesServicesByShortNamespacedAndFullName_HeadlessEndpoints_AndSrv()
    {
        // The host's resolver, standing in on loopback: NXDOMAIN for every name (nothing leaves the machine).
        using var upstream = NxDomainResolver.Start();
        await _scope.StartAgentAsync(s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = _cidr;
            s["NodeAgent:Dns:Upstreams:0"] = upstream.Endpoint.ToString();
        });
        var ns = _scope.Namespace;
        var db = await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"db-service"},"spec":{"selector":{"app":"db"},"ports":[{"name":"mysql","port":3306}]}}
            """));
        var clusterIp = (string)db!["spec"]!["clusterIP"]!;
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"clusterIP":"None","selector":{"app":"web"},"ports":[{"name":"http","port":80}]}}
            """));
        var webA = PodNetworkTests.Httpd80("web-a", _scope.Node);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", webA with { Spec = webA.Spec with { Hostname = "alpha" } });
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", PodNetworkTests.Httpd80("web-b", _scope.Node));
        var a = await _scope.WaitPodAsync("web-a", p => p.IsReady(), "web-a Ready");
        var b = await _scope.WaitPodAsync("web-b", p => p.IsReady(), "web-b Ready");
        // What the EndpointSlice controller would write for the headless Service (it does not run in this fixture).
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", JsonNode.Parse($$$"""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"web-1","labels":{"kubernetes.io/service-name":"web"}},
             "addressType":"IPv4","ports":[{"name":"http","port":80,"protocol":"TCP"}],
             "endpoints":[{"addresses":["{{{a.Status!.PodIP}}}"],"conditions":{"ready":true}},{"addresses":["{{{b.Status!.PodIP}}}"],"conditions":{"ready":true}},
                          {"addresses":["10.213.250.9"],"conditions":{"ready":false}}]}
            """));

        var client = PodNetworkTests.Httpd80("client", _scope.Node);
        await _scope.Admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", client);
        var pod = await _scope.WaitPodAsync("client", p => p.IsReady(), "client Ready");

        var resolvConf = await PodNetworkTests.ExecAsync(cluster, pod, ["cat", "/etc/resolv.conf"]);
        // A pod's host name is its name, or spec.hostname (as a StatefulSet's pods have theirs).
        Assert.Equal("client\n", await PodNetworkTests.ExecAsync(cluster, pod, ["cat", "/proc/sys/kernel/hostname"]));
        Assert.Equal("alpha\n", await PodNetworkTests.ExecAsync(cluster, a, ["cat", "/proc/sys/kernel/hostname"]));
        var gateway = NodeBridgeAddress();
        Assert.Contains($"nameserver {gateway}\n", resolvConf);
        Assert.Contains($"search {ns}.svc.cluster.local svc.cluster.local cluster.local", resolvConf);
        Assert.Contains("options ndots:5", resolvConf);

        // busybox's nslookup applies the search path to names without a dot only; wget (getaddrinfo) below to all.
        foreach (var name in new[] { "db-service", $"db-service.{ns}.svc.cluster.local" })
        {
            var answer = "";
            for (var attempt = 0; attempt < 20 && !answer.Contains(clusterIp); attempt++)
            {
                if (attempt > 0) await Task.Delay(500);
                var (code, stdout, stderr) = await PodNetworkTests.TryExecAsync(cluster, pod, ["nslookup", name]);
                answer = $"exit {code}: {stdout} {stderr}";
            }
            Assert.True(answer.Contains(clusterIp), $"nslookup {name}: {answer}");
            Assert.Contains($"db-service.{ns}.svc.cluster.local", answer);
        }

        var headless = await PodNetworkTests.ExecAsync(cluster, pod, ["nslookup", $"web.{ns}.svc.cluster.local"]);
        Assert.Contains(a.Status.PodIP!, headless);
        Assert.Contains(b.Status.PodIP!, headless);
        Assert.DoesNotContain("10.213.250.9", headless);  // not ready: not published

        var srv = await PodNetworkTests.ExecAsync(cluster, pod, ["nslookup", "-type=srv", $"_http._tcp.web.{ns}.svc.cluster.local"]);
        Assert.Matches(@"\b80\b", srv);
        Assert.Contains($".web.{ns}.svc.cluster.local", srv);

        var (missing, _, _) = await PodNetworkTests.TryExecAsync(cluster, pod, ["nslookup", $"nope.{ns}.svc.cluster.local"]);
        Assert.NotEqual(0, missing);

        foreach (var name in new[] { "web", $"web.{ns}", $"web.{ns}.svc.cluster.local" })
            Assert.Equal("platform busybox\n", await PodNetworkTests.ExecAsync(cluster, pod, ["wget", "-qO-", $"http://{name}/index.html"]));

        // Seed 001's three spellings through a ClusterIP: DNS gives the ClusterIP, the node's Service proxy relays it.
        var front = await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/api/v1/namespaces/{ns}/services", JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"front"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80}]}}
            """));
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Post, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices", JsonNode.Parse($$$"""
            {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"front-1","labels":{"kubernetes.io/service-name":"front"}},
             "addressType":"IPv4","ports":[{"name":"http","port":80,"protocol":"TCP"}],
             "endpoints":[{"addresses":["{{{a.Status!.PodIP}}}"],"conditions":{"ready":true}}]}
            """));
        Assert.NotEqual("None", (string?)front!["spec"]!["clusterIP"]);
        foreach (var name in new[] { "front", $"front.{ns}", $"front.{ns}.svc.cluster.local" })
        {
            var (code, stdout, stderr) = (0L, "", "");
            for (var attempt = 0; attempt < 20; attempt++)
            {
                (code, stdout, stderr) = await PodNetworkTests.TryExecAsync(cluster, pod, ["wget", "-qO-", $"http://{name}/index.html"]);
                if (code == 0) break;
                await Task.Delay(500);
            }
            Assert.True(code == 0 && stdout == "platform busybox\n", $"wget http://{name}: exit {code} {stdout} {stderr}");
        }
    }

    private string NodeBridgeAddress() => System.Net.IPNetwork.Parse(_cidr).BaseAddress.GetAddressBytes() is var bytes
        ? new System.Net.IPAddress([bytes[0], bytes[1], bytes[2], (byte)(bytes[3] + 1)]).ToString()
        : "";
}
