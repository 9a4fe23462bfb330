using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Images;

/// <summary>A real pull by the real dockerd from a registry on 127.0.0.1, watched through the pod's status and events.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ImagePullTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private LoopbackRegistry _registry = null!;
    private NodeAgentHost? _agent;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        _ns = await _admin.CreateNamespaceAsync();
        // Long enough for several status writes (one a second) while the layer downloads.
        _registry = await LoopbackRegistry.StartAsync(layerDuration: TimeSpan.FromSeconds(6));
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node));
    }

    [Fact]
    public async Task MissingImage_IsPulled_WithProgressInTheWaitingMessage_ThenRuns()
    {
        var image = $"{_registry.Host}/pulltest/{ClusterApi.NewName("busybox")}:v1";
        var pod = ClusterApi.HttpdPod("pulled", _node);
        pod.Spec.Containers[0] = pod.Spec.Containers[0] with { Image = image };
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", pod);

        // Seen while the layer is still downloading: the pod is Pending, its container waits with the pull's progress.
        var pulling = await Eventually.WaitAsync(async () =>
            await _admin.GetPodAsync(_ns, "pulled") is { } p && p.Status?.ContainerStatuses?[0].State?.Waiting?.Message?.Contains("1 layers", StringComparison.Ordinal) == true ? p : null,
            TimeSpan.FromSeconds(30), "a status showing the pull's progress", TimeSpan.FromMilliseconds(100));
        Assert.Equal("Pending", pulling.Status!.Phase);
        var waiting = pulling.Status.ContainerStatuses![0].State!.Waiting!;
        Assert.Equal("ContainerCreating", waiting.Reason);
        Assert.StartsWith($"Pulling image \"{image}\": 0/1 layers", waiting.Message);
        Assert.Contains(" MB", waiting.Message);

        var ready = await Eventually.WaitAsync(async () => await _admin.GetPodAsync(_ns, "pulled") is { } p && p.IsReady() ? p : null,
            TimeSpan.FromSeconds(60), "pod Ready after the pull", TimeSpan.FromMilliseconds(200));
        using (var http = new HttpClient())
            Assert.Equal("pulled busybox\n", await http.GetStringAsync($"http://127.0.0.1:{ready.Status!.AllocatedPorts!["http"]}/index.html"));
        Assert.Equal(1, _registry.LayerDownloads);

        var reasons = await Eventually.WaitAsync(async () =>
        {
            var events = await _admin.ListAsync<Event>($"/api/v1/namespaces/{_ns}/events");
            var ordered = events.Where(e => e.InvolvedObject?.Name == "pulled").OrderBy(e => e.FirstTimestamp).Select(e => e.Reason!).ToList();
            return ordered.Contains("Started") ? ordered : null;
        }, TimeSpan.FromSeconds(10), "the pod's events");
        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], reasons.Where(r => r is "Pulling" or "Pulled" or "Created" or "Started"));
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        // The agent leaves its containers running on purpose (a restarted agent adopts them); the test must not.
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        await _registry.DisposeAsync();
    }
}
