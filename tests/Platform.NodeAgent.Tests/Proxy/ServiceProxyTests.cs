using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Proxy;
using Platform.NodeAgent.Tests.Network;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;
using Platform.NodeAgent.Tests.Infrastructure;

namespace Platform.NodeAgent.Tests.Proxy;

/// <summary>
/// The Service proxy of a real agent on the pod network (root, iproute2, nft, Docker), in both modes: seed 001's NodePort
/// Service over three busybox httpd pods, reached on 127.0.0.1:30008 and on its ClusterIP from the host and from a pod;
/// the EndpointSlice is written by the test as the EndpointSlice controller would.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceProxyTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const string SeedService = """
        apiVersion: v1
        kind: Service
        metadata:
          name: myapp-service
          label: myapp-nodeport
        spec: # type and port
          type: NodePort
          ports: # 30008번 포트로 들어오는 트래픽을 NodePort:80 -> Target IP:80으로 전달
            - targetPort: 80
              port: 80
              nodePort: 30008
          selector:
            app: myapp # pod의 label과 동일
            type: front-end # pod의 label과 동일
        """;

    private NodeScope _scope = null!;
    private bool _disposed;

    public async Task InitializeAsync() => _scope = await NodeScope.CreateAsync(cluster);

    [Theory]
    [InlineData(ProxyOptions.Userspace)]
    [InlineData(ProxyOptions.Nftables)]
    public async Task SeedNodePortService_BalancesOverReadyEndpoints_OnTheNodePortAndTheClusterIp_AndGoesWithTheService(string mode)
    {
        var agent = await _scope.StartAgentAsync(s =>
        {
            s["NodeAgent:PodNetwork:Enabled"] = "true";
            s["NodeAgent:PodNetwork:PodCidr"] = NodeAgentHost.NextPodCidr();
            s["NodeAgent:Proxy:Enabled"] = "true";
            s["NodeAgent:Proxy:Mode"] = mode;
        });
        var proxy = agent.Services.GetRequiredService<ServiceProxy>();
        var names = new[] { "a", "b", "c" };
        foreach (var name in names) await _scope.Admin.CreateAsync(PodsPath, ServiceBackendPods.NamedHttpd(name, _scope.Node, new() { ["app"] = "myapp", ["type"] = "front-end" }));
        var pods = new Dictionary<string, Pod>();
        foreach (var name in names) pods[name] = await _scope.WaitPodAsync(name, p => p.IsReady(), $"pod {name} Ready");

        using (var created = await _scope.Admin.PostAsync($"/api/v1/namespaces/{_scope.Namespace}/services", Http.Yaml(SeedService)))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var svc = (await _scope.Admin.GetAsync<Service>(ServicePath))!;
        Assert.Equal(30008, svc.Spec.Ports![0].NodePort);
        var clusterIp = svc.Spec.ClusterIP!;

        // No EndpointSlice yet: a connection is closed at once (kube-proxy's REJECT).
        await Eventually.WaitAsync(() => proxy.Endpoints.Contains(new IPEndPoint(IPAddress.Any, 30008)), TimeSpan.FromSeconds(20), "listening on 0.0.0.0:30008");
        Assert.Null(await TryGetAsync(IPAddress.Loopback, 30008));

        await WriteSliceAsync(pods.Values, notReady: null);
        await Eventually.WaitAsync(() => proxy.Find(_scope.Namespace, "myapp-service", null)?.Backends.Count == 3, TimeSpan.FromSeconds(20), "three backends");
        Assert.Equal(names, (await HitsAsync(IPAddress.Loopback, 30008, 30)).Keys.Order());
        Assert.Equal(names, (await HitsAsync(IPAddress.Parse(clusterIp), 80, 30)).Keys.Order());
        Assert.Contains(NetworkNames.ServiceDummy(_scope.Node), Links());
        // From inside a pod: its default route takes it to the host, where the ClusterIP is local. A client pod that is
        // no backend, and a backend reaching itself (the hairpin: eight tries reach pod a but for a chance of (2/3)^8).
        await _scope.Admin.CreateAsync(PodsPath, ServiceBackendPods.NamedHttpd("client", _scope.Node, new() { ["app"] = "client" }));
        var client = await _scope.WaitPodAsync("client", p => p.IsReady(), "pod client Ready");
        var fromPod = new HashSet<string>();
        foreach (var caller in new[] { client, pods["a"] })
            for (var i = 0; i < 8; i++)
                fromPod.Add((await PodNetworkTests.ExecAsync(cluster, caller, ["wget", "-qO-", $"http://{clusterIp}/index.html"])).Trim());
        Assert.Subset(names.ToHashSet(), fromPod);

        // A connection relayed to c ends when c turns unready; c gets nothing afterwards.
        if (mode == ProxyOptions.Userspace) await UserspaceClosesConnectionsToCAsync(proxy, pods);
        else await NftablesResetsConnectionsToCAsync(proxy, pods);
        Assert.Equal(["a", "b"], (await HitsAsync(IPAddress.Loopback, 30008, 20)).Keys.Order());

        // ClientIP affinity pins the host's connections to one backend.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Patch, ServicePath,
            JsonNode.Parse("""{"spec":{"sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":60}}}}"""));
        await Eventually.WaitAsync(async () => (await HitsAsync(IPAddress.Loopback, 30008, 10)).Count == 1, TimeSpan.FromSeconds(20), "ClientIP affinity in force");
        Assert.Single(await HitsAsync(IPAddress.Loopback, 30008, 20));

        // Deleting the Service frees the node port and removes the ClusterIP.
        await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Delete, ServicePath);
        await Eventually.WaitAsync(() => !proxy.Endpoints.Any(e => e.Port == 30008 || e.Address.ToString() == clusterIp), TimeSpan.FromSeconds(20), "listeners gone");
        // Bound without SO_REUSEPORT: fails while any listener holds the port (with PLATFORM_TEST_POD_NETWORK=true other
        // test agents proxy the Service too, until their informers see the deletion).
        await Eventually.WaitAsync(() => CanBind(30008), TimeSpan.FromSeconds(20), "port 30008 free");
        await Eventually.WaitAsync(() => !Addresses(NetworkNames.ServiceDummy(_scope.Node)).Contains($" {clusterIp}/32 "), TimeSpan.FromSeconds(10), "ClusterIP removed");

        await _scope.DisposeAsync();
        _disposed = true;
        Assert.DoesNotContain(NetworkNames.ServiceTable(_scope.Node), Run("nft", "list tables"));
        var links = Links();
        Assert.DoesNotContain(NetworkNames.ServiceDummy(_scope.Node), links);
        Assert.DoesNotContain(NetworkNames.Bridge(_scope.Node), links);
        Assert.All(pods.Values, p => Assert.DoesNotContain(NetworkNames.HostVeth(p.Metadata.Uid!), links));
    }

    /// <summary>The userspace proxy tracks each relayed connection: the one to c is closed at once when c leaves.</summary>
    private async Task UserspaceClosesConnectionsToCAsync(ServiceProxy proxy, Dictionary<string, Pod> pods)
    {
        var backendC = new IPEndPoint(IPAddress.Parse(pods["c"].Status!.PodIP!), 80);
        var backends = proxy.Find(_scope.Namespace, "myapp-service", null)!;
        var open = new List<Socket>();
        for (var i = 0; i < 30 && backends.LiveConnections(backendC) == 0; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(IPAddress.Loopback, 30008);
            open.Add(s);
            // Relayed by this agent once its count goes up (another test agent's listener on the port may take it instead).
            for (var wait = 0; wait < 40 && backends.Backends.Sum(backends.LiveConnections) < open.Count; wait++) await Task.Delay(50);
        }
        Assert.Equal(1, backends.LiveConnections(backendC));
        await WriteSliceAsync(pods.Values, notReady: "c");
        await Eventually.WaitAsync(() => backends.Backends.Count == 2, TimeSpan.FromSeconds(20), "c left the backends");
        await Eventually.WaitAsync(() => open.Any(s => IsClosed(s)), TimeSpan.FromSeconds(5), "the connection to c closed");
        Assert.Equal(open.Count - 1, open.Count(s => !IsClosed(s)));
        foreach (var s in open) s.Dispose();
    }

    /// <summary>
    /// In nftables mode the kernel holds the connections: one to c is reset at its next packet once c has left the
    /// backends set, while those to a and b still get answers.
    /// </summary>
    private async Task NftablesResetsConnectionsToCAsync(ServiceProxy proxy, Dictionary<string, Pod> pods)
    {
        var backends = proxy.Find(_scope.Namespace, "myapp-service", null)!;
        var open = new List<Socket>();
        for (var i = 0; i < 30; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(IPAddress.Loopback, 30008);
            open.Add(s);
        }
        await WriteSliceAsync(pods.Values, notReady: "c");
        await Eventually.WaitAsync(() => backends.Backends.Count == 2, TimeSpan.FromSeconds(20), "c left the backends");
        var answers = new List<string?>();
        foreach (var s in open)
        {
            answers.Add(await ServiceBackendPods.RequestOnAsync(s));
            s.Dispose();
        }
        // 30 connections over three random backends: all of them missing c has a chance of (2/3)^30.
        Assert.Contains(null, answers);
        Assert.All(answers.OfType<string>(), name => Assert.Contains(name, new[] { "a", "b" }));
    }

    private string PodsPath => $"/api/v1/namespaces/{_scope.Namespace}/pods";
    private string ServicePath => $"/api/v1/namespaces/{_scope.Namespace}/services/myapp-service";

    /// <summary>The slice the EndpointSlice controller would write, <paramref name="notReady"/>'s endpoint not ready.</summary>
    private async Task WriteSliceAsync(IEnumerable<Pod> pods, string? notReady)
    {
        var slice = new EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1", Kind = "EndpointSlice",
            Metadata = new ObjectMeta { Name = "myapp-service-x1", Labels = new() { ["kubernetes.io/service-name"] = "myapp-service" } },
            AddressType = "IPv4",
            Ports = [new EndpointPort { Name = "", Protocol = "TCP", Port = 80 }],
            Endpoints = [.. pods.Select(p => new Endpoint
            {
                Addresses = [p.Status!.PodIP!], NodeName = _scope.Node,
                Conditions = new EndpointConditions { Ready = p.Metadata.Name != notReady, Serving = p.Metadata.Name != notReady, Terminating = false },
                TargetRef = new ObjectReference { Kind = "Pod", Name = p.Metadata.Name, Namespace = _scope.Namespace, Uid = p.Metadata.Uid },
            })],
        };
        var path = $"/apis/discovery.k8s.io/v1/namespaces/{_scope.Namespace}/endpointslices";
        if (await _scope.Admin.GetAsync<EndpointSlice>($"{path}/myapp-service-x1") is { } held)
            await ClusterApi.SendAsync(_scope.Admin, HttpMethod.Put, $"{path}/myapp-service-x1",
                System.Text.Json.JsonSerializer.SerializeToNode(slice with { Metadata = slice.Metadata with { ResourceVersion = held.Metadata.ResourceVersion } }, ResourceJson.Options));
        else await _scope.Admin.CreateAsync(path, slice);
    }

    /// <summary>How many of <paramref name="count"/> requests (a connection each) each backend answered.</summary>
    private static async Task<Dictionary<string, int>> HitsAsync(IPAddress address, int port, int count)
    {
        var hits = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var name = await TryGetAsync(address, port) ?? throw new Xunit.Sdk.XunitException($"request {i} to {address}:{port} got no answer");
            hits[name] = hits.GetValueOrDefault(name) + 1;
        }
        return hits;
    }

    private static Task<string?> TryGetAsync(IPAddress address, int port) => ServiceBackendPods.GetAsync(address, port);

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsClosed(Socket s)
    {
        try
        {
            return s.Poll(0, SelectMode.SelectRead) && s.Available == 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    private static string Links() => Run("ip", "-o link show");

    private static string Addresses(string link) => Run("ip", $"-o -4 addr show dev {link}");

    private static string Run(string file, string args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    public async Task DisposeAsync()
    {
        if (!_disposed) await _scope.DisposeAsync();
    }
}
