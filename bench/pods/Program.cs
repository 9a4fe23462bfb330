using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

// create→Ready latency of pods bound to one node agent, image present, timed by this client: from just before its
// create request to the first watch event (?watch=true) that shows the pod Ready. Stored times are Kubernetes'
// whole-second Time, too coarse for this, so the bench keeps its own clock.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
var ratePerSecond = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var cluster = new ClusterFixture();
await cluster.InitializeAsync();
var node = "bench-" + Guid.NewGuid().ToString("N")[..6];
NodeAgentHost? agent = null;
try
{
    using var admin = cluster.ApiServer.Client();
    var ns = await admin.CreateNamespaceAsync();
    agent = await NodeAgentHost.StartAsync(cluster, node, await admin.CreateNodeTokenAsync(node), s =>
    {
        s["NodeAgent:PortRange"] = "26000-26999";
        s["NodeAgent:SyncInterval"] = "00:00:01";
        s["NodeAgent:HeartbeatInterval"] = "00:00:10";
    });
    var pods = agent.Services.GetRequiredService<PodManager>();
    await pods.Synced.WaitAsync(TimeSpan.FromSeconds(60));

    // Warm-up pod: first container start pays one-off costs (image layer mount, JIT).
    await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod("warmup", node));
    await Eventually.WaitAsync(async () => (await admin.GetPodAsync(ns, "warmup")).IsReady(), TimeSpan.FromSeconds(60), "warm-up pod Ready");

    var createdAt = new ConcurrentDictionary<string, long>();
    var readyAt = new ConcurrentDictionary<string, long>();
    using var watchCancel = new CancellationTokenSource();
    var watch = WatchReadyAsync(admin, ns, readyAt, watchCancel.Token);
    var started = DateTime.UtcNow;
    var interval = TimeSpan.FromSeconds(1.0 / ratePerSecond);
    for (var i = 0; i < count; i++)
    {
        var due = started + interval * i;
        if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow);
        createdAt[$"p{i:000}"] = Stopwatch.GetTimestamp();
        await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod($"p{i:000}", node));
    }
    await Eventually.WaitAsync(async () =>
    {
        var list = (await admin.ListAsync<Pod>($"/api/v1/namespaces/{ns}/pods")).Where(p => p.Metadata.Name != "warmup").ToList();
        return list.Count == count && list.All(p => p.IsReady()) ? list : null;
    }, TimeSpan.FromSeconds(300), $"{count} pods Ready", TimeSpan.FromMilliseconds(500));

    await Eventually.WaitAsync(() => createdAt.Keys.All(readyAt.ContainsKey), TimeSpan.FromSeconds(30), "every Ready pod seen on the watch");
    await watchCancel.CancelAsync();
    var latencies = createdAt.Select(c => Stopwatch.GetElapsedTime(c.Value, readyAt[c.Key]).TotalMilliseconds).Order().ToArray();
    double Pct(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
    Console.WriteLine($"pods: {count} created at {ratePerSecond}/s on one node agent, image present, no readiness probe");
    Console.WriteLine($"create->Ready p50: {Pct(0.50):0} ms");
    Console.WriteLine($"create->Ready p90: {Pct(0.90):0} ms");
    Console.WriteLine($"create->Ready p99: {Pct(0.99):0} ms");
    Console.WriteLine($"create->Ready max: {latencies[^1]:0} ms");
    await ClusterApi.SendAsync(admin, HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
    await Eventually.WaitAsync(() => pods.WorkerCount == 0, TimeSpan.FromSeconds(120), "pods cleaned up");
}
finally
{
    if (agent is not null) await agent.DisposeAsync();
    await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, node);
    await cluster.DisposeAsync();
}

// Follows the namespace's pods on the apiserver's watch stream and notes when each is first seen Ready.
static Task WatchReadyAsync(HttpClient admin, string ns, ConcurrentDictionary<string, long> readyAt, CancellationToken ct) => Task.Run(async () =>
{
    try
    {
        using var response = await admin.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&timeoutSeconds=600",
            HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            var seen = Stopwatch.GetTimestamp();
            var pod = JsonNode.Parse(line)?["object"].Deserialize<Pod>(ResourceJson.Options);
            if (pod?.Metadata.Name is { } name && pod.IsReady()) readyAt.TryAdd(name, seen);
        }
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
    {
    }
}, ct);

static Pod Pod(string name, string node) => new()
{
    ApiVersion = "v1",
    Kind = "Pod",
    Metadata = new ObjectMeta { Name = name },
    Spec = new PodSpec
    {
        NodeName = node,
        TerminationGracePeriodSeconds = 1,
        Containers = [new Container { Name = "main", Image = DockerFixture.BusyboxImage, Command = ["httpd", "-f", "-h", "/www", "-p", "$(PORT)"] }],
    },
};
