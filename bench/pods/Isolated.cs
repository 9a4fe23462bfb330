using Microsoft.Extensions.DependencyInjection;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Pods;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.Bench.Pods;

/// <summary>
/// create→Ready of pods bound to one node agent, image present, with nothing else running: its own Postgres, mock
/// Kafka, apiserver process and an in-process agent; the pods are created with <c>spec.nodeName</c> set.
/// </summary>
internal static class Isolated
{
    public static async Task<int> RunAsync(int count, int ratePerSecond)
    {
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

            var latencies = new PodLatencies();
            using var watchCancel = new CancellationTokenSource();
            var watch = latencies.FollowAsync(admin, ns, watchCancel.Token);
            var started = DateTime.UtcNow;
            var interval = TimeSpan.FromSeconds(1.0 / ratePerSecond);
            for (var i = 0; i < count; i++)
            {
                var due = started + interval * i;
                if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow);
                latencies.Created($"p{i:000}");
                await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", Pod($"p{i:000}", node));
            }
            await Eventually.WaitAsync(() => latencies.AllReady, TimeSpan.FromSeconds(300), $"{count} pods Ready on the watch");
            await watchCancel.CancelAsync();
            await watch;
            latencies.Print($"{count} pods created bound at {ratePerSecond}/s on one node agent (isolated), image present, no readiness probe");
            await ClusterApi.SendAsync(admin, HttpMethod.Delete, $"/api/v1/namespaces/{ns}");
            await Eventually.WaitAsync(() => pods.WorkerCount == 0, TimeSpan.FromSeconds(120), "pods cleaned up");
            return 0;
        }
        finally
        {
            if (agent is not null) await agent.DisposeAsync();
            await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, node);
            await cluster.DisposeAsync();
        }
    }

    private static Pod Pod(string name, string node) => new()
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
}
