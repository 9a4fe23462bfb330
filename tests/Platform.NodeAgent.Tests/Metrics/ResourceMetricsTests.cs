using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.NodeAgent.Tests.Infrastructure;
using Platform.NodeAgent.Tests.Logs;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.NodeAgent.Tests.Metrics;

/// <summary>
/// The agent's usage sampler against dockerd: a CPU burner capped at 300m by its limit shows up in kubelet's
/// <c>/metrics/resource</c> and in <c>/stats/summary</c> at that rate, and only the apiserver or an admin may read them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ResourceMetricsTests(ClusterFixture cluster) : IAsyncLifetime
{
    private readonly HttpClient _admin = cluster.ApiServer.Client();
    private readonly string _node = ClusterApi.NewName("node");
    private NodeAgentHost? _agent;
    private string _ns = "";

    public async Task InitializeAsync() => _ns = await _admin.CreateNamespaceAsync();

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(cluster.Docker.Client, _node);
        _admin.Dispose();
    }

    [Fact]
    public async Task Sampler_ReportsTheBurnersRateAndTheNodesTotals_InKubeletsFormats_ToTheApiServerOrAnAdminOnly()
    {
        _agent = await NodeAgentHost.StartAsync(cluster, _node, await _admin.CreateNodeTokenAsync(_node), s => s["NodeAgent:Metrics:Interval"] = "00:00:01");
        await _admin.CreateAsync($"/api/v1/namespaces/{_ns}/pods", Burner());
        using var agent = new HttpClient { BaseAddress = _agent.Address };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.ApiServer.AdminToken);

        async Task<ulong?> BurnRateAsync()
        {
            var summary = JsonNode.Parse(await agent.GetStringAsync("/stats/summary"))!;
            var pod = summary["pods"]!.AsArray().FirstOrDefault(p => (string?)p!["podRef"]!["name"] == "burner" && (string?)p["podRef"]!["namespace"] == _ns);
            return pod?["containers"]![0]!["cpu"]!["usageNanoCores"] is { } rate && summary["node"]?["cpu"]?["usageNanoCores"] is not null ? (ulong?)rate : null;
        }
        await Eventually.WaitAsync(BurnRateAsync, TimeSpan.FromSeconds(60), "the burner's CPU rate in /stats/summary", TimeSpan.FromMilliseconds(500));
        // The first rate may span the container's start; two sampling intervals later the window lies wholly in its run.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var burn = await BurnRateAsync();
        // The limit (a CFS quota of 30 ms per 100 ms) caps the loop: a rate well below it would be a wrong window or unit.
        Assert.InRange(burn!.Value / 1e6, 200, 330);

        var text = await agent.GetStringAsync("/metrics/resource");
        Assert.Contains("# TYPE container_cpu_usage_seconds_total counter\n", text);
        Assert.Matches($@"\ncontainer_cpu_usage_seconds_total\{{container=""burn"",namespace=""{_ns}"",pod=""burner""\}} [0-9.e+-]+ [0-9]{{13}}\n", text);
        Assert.Matches($@"\ncontainer_memory_working_set_bytes\{{container=""burn"",namespace=""{_ns}"",pod=""burner""\}} [0-9]+ [0-9]{{13}}\n", text);
        Assert.Matches($@"\npod_cpu_usage_seconds_total\{{namespace=""{_ns}"",pod=""burner""\}} [0-9.e+-]+ [0-9]{{13}}\n", text);
        Assert.Matches(@"\nnode_cpu_usage_seconds_total [0-9.e+-]+ [0-9]{13}\n", text);
        Assert.Matches(@"\nnode_memory_working_set_bytes [0-9]+ [0-9]{13}\n", text);
        Assert.EndsWith("scrape_error 0\n", text);

        // platformctl top reads the same figures through the apiserver's metrics.k8s.io.
        var pods = await Eventually.WaitAsync(async () => await Cli.Platformctl.RunAsync(cluster.ApiServer, "top", "pods", "-n", _ns) is { Exit: 0 } r && r.Out.Contains("burner") ? r.Out : null,
            TimeSpan.FromSeconds(30), "platformctl top pods to list the burner");
        Assert.Matches(@"^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nburner\s+\d+m\s+\d+Mi\s*\n$", pods);
        var containers = (await Cli.Platformctl.RunAsync(cluster.ApiServer, "top", "pods", "burner", "-n", _ns, "--containers")).Out;
        Assert.Matches(@"^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nburner\s+burn\s+\d+m\s+\d+Mi\s*\n$", containers);
        var json = JsonNode.Parse((await Cli.Platformctl.RunAsync(cluster.ApiServer, "top", "pods", "-n", _ns, "-l", "app=burner", "-o", "json")).Out)!;
        Assert.Equal(("PodMetricsList", "burn"), ((string?)json["kind"], (string?)json["items"]![0]!["containers"]![0]!["name"]));
        Assert.Matches(@"^[0-9]+(n|u|m)?$", (string)json["items"]![0]!["containers"]![0]!["usage"]!["cpu"]!);
        var nodes = (await Cli.Platformctl.RunAsync(cluster.ApiServer, "top", "nodes", _node)).Out;
        Assert.Matches($@"^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)\s*\n{_node}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*\n$", nodes);

        using var anonymous = new HttpClient { BaseAddress = _agent.Address };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics/resource")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await LogCluster.CreateTokenAsync(_admin, "viewer", _ns));
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync("/stats/summary")).StatusCode);
    }

    [Fact]
    public void HostUsage_ReadsBusyJiffiesAndMemTotalLessMemAvailable()
    {
        var cpu = Platform.NodeAgent.Metrics.HostUsage.ParseCpu(["cpu  100 20 30 5000 40 1 2 3 0 0", "cpu0 50 10 15 2500 20 0 1 1 0 0"]);
        Assert.Equal((ulong)(156 * 10_000_000UL), cpu); // user+nice+system+irq+softirq+steal jiffies at 100 Hz, in ns
        Assert.Equal(1024UL * (1000 - 600), Platform.NodeAgent.Metrics.HostUsage.ParseWorkingSet(["MemTotal:       1000 kB", "MemFree:  100 kB", "MemAvailable:    600 kB"]));
        Assert.Null(Platform.NodeAgent.Metrics.HostUsage.ParseWorkingSet(["MemTotal: 1000 kB"]));
    }

    [Fact]
    public void WorkingSet_IsUsageLessInactiveFile_OnCgroupV1AndV2()
    {
        var v2 = new Docker.DotNet.Models.MemoryStats { Usage = 50_000, Stats = new Dictionary<string, ulong> { ["inactive_file"] = 20_000 } };
        var v1 = new Docker.DotNet.Models.MemoryStats { Usage = 50_000, Stats = new Dictionary<string, ulong> { ["total_inactive_file"] = 60_000 } };
        Assert.Equal(30_000UL, Platform.NodeAgent.Metrics.UsageSampler.WorkingSet(v2));
        Assert.Equal(0UL, Platform.NodeAgent.Metrics.UsageSampler.WorkingSet(v1));
    }

    private Pod Burner() => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new ObjectMeta { Name = "burner", Labels = new() { ["app"] = "burner" } },
        Spec = new PodSpec
        {
            NodeName = _node,
            TerminationGracePeriodSeconds = 1,
            Containers =
            [
                new Container
                {
                    Name = "burn", Image = DockerFixture.BusyboxImage, Command = ["sh", "-c", "while :; do :; done"],
                    Resources = new ResourceRequirements { Requests = new ResourceList { ["cpu"] = "100m" }, Limits = new ResourceList { ["cpu"] = "300m" } },
                },
            ],
        },
    };
}
