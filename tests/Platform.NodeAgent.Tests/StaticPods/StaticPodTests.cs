using System.Text.Json;
using Docker.DotNet.Models;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Runtime;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;
using Xunit.Abstractions;

namespace Platform.NodeAgent.Tests.StaticPods;

/// <summary>Static pods from a manifest folder, run by a real agent on dockerd and mirrored to the real apiserver.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StaticPodTests(ClusterFixture cluster, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private readonly string _folder = Directory.CreateTempSubdirectory("static-pods-").FullName;
    private readonly List<NodeAgentHost> _agents = [];
    private string _ns = "";
    private string _token = "";

    private string MirrorName => "web-" + _node;

    public async Task InitializeAsync()
    {
        _ns = await _admin.CreateNamespaceAsync();
        _token = await _admin.CreateNodeTokenAsync(_node);
    }

    /// <summary>
    /// A long rescan interval unless told otherwise: what these tests see within their timeouts comes from the file
    /// watcher and the mirror pod events, not from the safety-net rescan.
    /// </summary>
    private async Task<NodeAgentHost> StartAgentAsync(string rescan = "00:02:00", Uri? apiServer = null, string? folder = null)
    {
        var agent = await NodeAgentHost.StartAsync(cluster, _node, _token, s =>
        {
            s["NodeAgent:StaticPodPath"] = folder ?? _folder;
            s["NodeAgent:StaticPodRescanInterval"] = rescan;
            if (apiServer is not null) s["NodeAgent:ApiServerUrl"] = apiServer.ToString();
        });
        _agents.Add(agent);
        return agent;
    }

    private string Manifest(string version = "v1", string name = "web", string priorityClass = "") => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{name}}
          namespace: {{_ns}}
          labels: {app: static-web}
        spec:
          terminationGracePeriodSeconds: 1
          {{(priorityClass.Length > 0 ? "priorityClassName: " + priorityClass : "")}}
          containers:
            - name: web
              image: {{DockerFixture.BusyboxImage}}
              command: ["sh", "-c", "echo static web $(VERSION) on $(PORT); exec httpd -f -h /www -p $(PORT)"]
              env: [{name: VERSION, value: {{version}}}]
              ports: [{name: http, containerPort: 8080}]
              readinessProbe:
                httpGet: {path: /index.html, port: http}
                periodSeconds: 1
        """;

    private Task<Pod> WaitMirrorAsync(Func<Pod, bool> condition, string what, int seconds = 60) =>
        Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, MirrorName) is { } p && condition(p) ? p : null,
            TimeSpan.FromSeconds(seconds), what, TimeSpan.FromMilliseconds(200));

    private static string ContainerId(Pod pod) => pod.Status!.ContainerStatuses![0].ContainerID!["docker://".Length..];

    private static async Task<string> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://127.0.0.1:{port}/index.html");
    }

    private async Task<IList<ContainerListResponse>> ContainersAsync() =>
        await cluster.Docker.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Node}={_node}"] = true } },
        });

    [Fact]
    public async Task StaticPod_AnswersOnItsPort_WithAReadyMirror_AndADeletedMirrorIsRecreatedWithoutRestartingIt()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "web.yaml"), Manifest());
        await StartAgentAsync();

        var mirror = await WaitMirrorAsync(p => p.IsReady(), "mirror pod Running and Ready");
        Assert.Equal("Running", mirror.Status!.Phase);
        Assert.Equal(_node, mirror.Spec.NodeName);
        var annotations = mirror.Metadata.Annotations!;
        Assert.Equal("file", annotations["kubernetes.io/config.source"]);
        Assert.Matches("^[0-9a-f]{32}$", annotations["kubernetes.io/config.mirror"]);
        Assert.Equal(annotations["kubernetes.io/config.hash"], annotations["kubernetes.io/config.mirror"]);
        var node = (await _admin.GetAsync<Node>($"/api/v1/nodes/{_node}"))!;
        var owner = Assert.Single(mirror.Metadata.OwnerReferences!);
        Assert.Equal(("Node", _node, node.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
        var port = mirror.Status.AllocatedPorts!["http"];
        Assert.Equal("platform busybox\n", await GetAsync(port));
        var containerId = ContainerId(mirror);
        // Its logs through the apiserver: the mirror's uid is not the one on the containers, the name finds them.
        using (var logs = await _admin.GetAsync($"/api/v1/namespaces/{_ns}/pods/{MirrorName}/log"))
            Assert.Equal($"static web v1 on {port}\n", await logs.Content.ReadAsStringAsync() is var body && logs.IsSuccessStatusCode ? body : $"{(int)logs.StatusCode}: {body}");

        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/{MirrorName}");

        var recreated = await WaitMirrorAsync(p => p.Metadata.Uid != mirror.Metadata.Uid && p.IsReady(), "mirror recreated and Ready", 30);
        Assert.Equal(containerId, ContainerId(recreated));
        Assert.Equal(0, recreated.Status!.ContainerStatuses![0].RestartCount);
        Assert.Equal(annotations["kubernetes.io/config.mirror"], recreated.Metadata.Annotations!["kubernetes.io/config.mirror"]);
        Assert.Equal("platform busybox\n", await GetAsync(port));
        var running = Assert.Single(await ContainersAsync(), c => c.State == "running");
        Assert.Equal(containerId, running.ID);
    }

    [Fact]
    public async Task StaticPod_NamingTheSystemNodeCriticalClass_GetsItsPriorityOnTheMirror()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "web.yaml"), Manifest(priorityClass: PriorityClass.SystemNodeCritical));
        await StartAgentAsync();
        var mirror = await WaitMirrorAsync(p => p.IsReady(), "mirror pod Running and Ready");
        Assert.Equal(PriorityClass.SystemNodeCritical, mirror.Spec.PriorityClassName);
        Assert.Equal(PriorityClass.SystemClasses[PriorityClass.SystemNodeCritical], mirror.Spec.Priority);
    }

    [Fact]
    public async Task EditedManifest_ReplacesTheStaticPod_AndARemovedManifest_StopsItAndDeletesItsMirror()
    {
        await StartAgentAsync();
        var file = Path.Combine(_folder, "web.yaml");
        var written = System.Diagnostics.Stopwatch.StartNew();
        await File.WriteAllTextAsync(file, Manifest("v1"));
        var first = await WaitMirrorAsync(p => p.IsReady(), "mirror Ready after the file appeared", 30);
        output.WriteLine($"new file to Ready mirror: {written.ElapsedMilliseconds} ms");
        var firstHash = first.Metadata.Annotations!["kubernetes.io/config.mirror"];

        var edited = System.Diagnostics.Stopwatch.StartNew();
        await File.WriteAllTextAsync(file, Manifest("v2"));

        var second = await WaitMirrorAsync(p => p.Metadata.Annotations!["kubernetes.io/config.mirror"] != firstHash && p.IsReady(), "mirror of the edited manifest Ready", 30);
        output.WriteLine($"edit to Ready mirror of the new pod: {edited.ElapsedMilliseconds} ms (old pod's grace period 1 s included)");
        Assert.NotEqual(ContainerId(first), ContainerId(second));
        Assert.Equal("platform busybox\n", await GetAsync(second.Status!.AllocatedPorts!["http"]));
        await Eventually.WaitAsync(async () => (await ContainersAsync()).Select(c => c.ID).SequenceEqual([ContainerId(second)]),
            TimeSpan.FromSeconds(30), "only the new container left");
        var inspect = await cluster.Docker.Client.Containers.InspectContainerAsync(ContainerId(second));
        Assert.Contains("VERSION=v2", inspect.Config.Env);

        File.Delete(file);

        await Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, MirrorName) is null, TimeSpan.FromSeconds(30), "mirror deleted");
        await Eventually.WaitAsync(async () => (await ContainersAsync()).Count == 0, TimeSpan.FromSeconds(30), "containers removed");
    }

    [Fact]
    public async Task StaticPod_RunsWhileTheApiServerIsAway_GetsItsMirrorWhenItComesBack_AndARestartedAgentAdoptsIt()
    {
        await using var apiServer = new TcpForwarder(Platform.Testing.Network.FreeTcpPort(), cluster.ApiServer.BaseAddress);
        await File.WriteAllTextAsync(Path.Combine(_folder, "web.yaml"), Manifest());
        await StartAgentAsync(apiServer: apiServer.Address);

        var container = await Eventually.WaitAsync(async () => (await ContainersAsync()).FirstOrDefault(c => c.State == "running"),
            TimeSpan.FromSeconds(30), "static pod container running without an apiserver");
        var port = JsonSerializer.Deserialize<Dictionary<string, int>>(container.Labels[ContainerLabels.Ports])!["http"];
        // A running container is not yet a listening httpd: its shell echoes first, then execs it.
        Assert.Equal("platform busybox\n", await Eventually.WaitAsync(async () =>
        {
            try { return await GetAsync(port); }
            catch (HttpRequestException) { return null; }
        }, TimeSpan.FromSeconds(30), "the static pod to answer on its port"));
        Assert.Null(await _admin.GetPodAsync(_ns, MirrorName));

        apiServer.Start();

        var mirror = await WaitMirrorAsync(p => p.IsReady(), "mirror Ready once the apiserver answers", 60);
        Assert.Equal(container.ID, ContainerId(mirror));
        Assert.Equal(port, mirror.Status!.AllocatedPorts!["http"]);

        await _agents[0].DisposeAsync();
        _agents.Clear();
        var agent = await StartAgentAsync();
        await agent.Pods.Synced.WaitAsync(TimeSpan.FromSeconds(30));

        var after = Assert.Single(await ContainersAsync());
        Assert.Equal((container.ID, "running"), (after.ID, after.State));
        Assert.Equal("0", after.Labels[ContainerLabels.RestartCount]);
        Assert.Equal("platform busybox\n", await GetAsync(port));
        await ClusterApi.SendAsync(_admin, HttpMethod.Delete, $"/api/v1/namespaces/{_ns}/pods/{MirrorName}");
        var recreated = await WaitMirrorAsync(p => p.Metadata.Uid != mirror.Metadata.Uid && p.IsReady(), "the restarted agent recreates the mirror", 30);
        Assert.Equal(container.ID, ContainerId(recreated));
    }

    [Fact]
    public async Task MalformedManifests_AreSkippedWithTheirReason_AndTheAgentStaysHealthy()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "service.yaml"), $"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n  namespace: {_ns}\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "noimage.json"), """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"c"}]}}""");
        await File.WriteAllTextAsync(Path.Combine(_folder, ".hidden.yaml"), "not: [valid");
        await File.WriteAllTextAsync(Path.Combine(_folder, "multi.yaml"), Manifest() + $"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: {_ns}\n");
        var agent = await StartAgentAsync();

        await WaitMirrorAsync(p => p.IsReady(), "the valid pod of multi.yaml runs with a Ready mirror");
        var problems = agent.StaticPods.Problems.ToDictionary(p => p.File, p => p.Reason);
        Assert.Equal(["broken.yaml", "multi.yaml#2", "noimage.json", "service.yaml"], problems.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("line ", problems["broken.yaml"]);
        Assert.Equal("kind Service is not Pod; only Pods run as static pods", problems["service.yaml"]);
        Assert.Equal("kind ConfigMap is not Pod; only Pods run as static pods", problems["multi.yaml#2"]);
        Assert.Equal("container c: image is required", problems["noimage.json"]);
        Assert.Equal("web-" + _node, Assert.Single(agent.StaticPods.Running).Pod.Metadata.Name);

        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.yaml"), "{{{{");
        await Eventually.WaitAsync(() => agent.StaticPods.Problems.Any(p => p.File == "broken.yaml" && p.Reason != problems["broken.yaml"]),
            TimeSpan.FromSeconds(30), "the rewritten broken file is read again");
        using var http = new HttpClient { BaseAddress = agent.Address };
        using var health = await http.GetAsync("/healthz");
        Assert.True(health.IsSuccessStatusCode, $"agent /healthz answered {(int)health.StatusCode}");
        Assert.False(agent.StaticPods.ExecuteTask!.IsCompleted, "the static pod loop stopped");
        Assert.Equal("Running", (await _admin.GetPodAsync(_ns, MirrorName))!.Status!.Phase);
    }

    [Fact]
    public async Task EmptyStaticPodPath_TurnsStaticPodsOff()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "web.yaml"), Manifest());
        var agent = await StartAgentAsync(folder: "");

        await agent.Pods.Synced.WaitAsync(TimeSpan.FromSeconds(30));
        await agent.StaticPods.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(agent.StaticPods.Running);
        Assert.Empty(await ContainersAsync());
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        Directory.Delete(_folder, recursive: true);
        _admin.Dispose();
    }
}
