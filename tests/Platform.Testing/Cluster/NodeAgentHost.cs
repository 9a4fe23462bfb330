using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.NodeAgent;
using Platform.NodeAgent.Network;
using Platform.NodeAgent.Runtime;
using Platform.ServiceDefaults;

namespace Platform.Testing.Cluster;

/// <summary>
/// A real node agent (the same AddNodeAgent as Program.cs) in this process, for one test's node. A project that starts
/// one references services/node-agent itself (Platform.Testing does not pass the service on).
/// </summary>
public sealed class NodeAgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NodeAgentHost(WebApplication app, string nodeName)
    {
        _app = app;
        NodeName = nodeName;
    }

    public string NodeName { get; }

    /// <summary>The agent's services, for tests that watch its workers (the node agent's own tests see its internals).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The agent's own HTTP endpoint (health, metrics).</summary>
    public Uri Address => new(_app.Urls.First());

    /// <summary>
    /// A block of 100 host ports per agent: this process's 1,250 ports of 20000-29999 (<see cref="TestProcessSlot"/>), so
    /// no agent of another test process hands out the same port, taken in turn, so agents of one process do not either.
    /// </summary>
    public static string NextPortRange()
    {
        var block = Interlocked.Increment(ref s_block);
        var first = 20000 + TestProcessSlot.Value * 1250 + block % 12 * 100;
        return $"{first}-{first + 99}";
    }

    private static int s_block;

    /// <summary>
    /// A /24 of 10.213.0.0/16 per agent, used while its Node has no podCIDR: one of this process's 32
    /// (<see cref="TestProcessSlot"/>) in turn, so the bridges of agents running side by side never share a subnet.
    /// </summary>
    public static string NextPodCidr()
    {
        var n = Interlocked.Increment(ref s_cidr);
        return $"10.213.{TestProcessSlot.Value * 32 + n % 32}.0/24";
    }

    private static int s_cidr;

    /// <summary>The agents' default <c>NodeAgent:PodNetwork:Enabled</c>: env <c>PLATFORM_TEST_POD_NETWORK</c>, else false.</summary>
    public static string TestPodNetwork => Environment.GetEnvironmentVariable("PLATFORM_TEST_POD_NETWORK") is "true" ? "true" : "false";

    public static Task<NodeAgentHost> StartAsync(ClusterFixture cluster, string nodeName, string token, Action<Dictionary<string, string?>>? configure = null) =>
        StartAsync(cluster.ApiServer.BaseAddress, cluster.ApiServer.TopicPrefix, cluster.Docker, cluster.Kafka, nodeName, token, configure);

    /// <summary>An agent for an apiserver the test runs itself (an in-process <c>ApiServerHost</c>, at its plain HTTP address).</summary>
    public static async Task<NodeAgentHost> StartAsync(Uri apiServer, string topicPrefix, DockerFixture docker, KafkaFixture kafka, string nodeName, string token,
        Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["NodeAgent:NodeName"] = nodeName,
            ["NodeAgent:ApiServerUrl"] = apiServer.ToString(),
            ["NodeAgent:Token"] = token,
            ["NodeAgent:DockerHost"] = docker.Endpoint,
            ["NodeAgent:TopicPrefix"] = topicPrefix,
            ["NodeAgent:PortRange"] = NextPortRange(),
            ["NodeAgent:HeartbeatInterval"] = "00:00:01",
            ["NodeAgent:SyncInterval"] = "00:00:00.250",
            // Host networking unless a test asks for the pod network (NodeAgent:PodNetwork:Enabled=true), or the run does
            // (PLATFORM_TEST_POD_NETWORK=true: every agent of the run on the pod network).
            ["NodeAgent:PodNetwork:Enabled"] = TestPodNetwork,
            ["NodeAgent:PodNetwork:PodCidr"] = NextPodCidr(),
            ["NodeAgent:PodNetwork:PauseImage"] = DockerFixture.PauseImage,
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
        };
        configure?.Invoke(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Platform.NodeAgent" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPlatformDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddNodeAgent();
        var app = builder.Build();
        app.MapPlatformDefaults();
        app.MapNodeAgent();
        await app.StartAsync();
        return new NodeAgentHost(app, nodeName);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// Removes the node's bridge, any veth still on it and the Service proxy's dummy interface and nftables table (a pod's veth goes with its sandbox's namespace; this catches
    /// what a killed agent left). No-op when the node never had a pod network.
    /// </summary>
    public static async Task RemoveNetworkAsync(string nodeName)
    {
        var bridge = NetworkNames.Bridge(nodeName);
        var veths = await ProcessRunner.RunAsync("ip", $"-o link show master {bridge}", throwOnError: false);
        foreach (var line in veths.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (line.Split(':', 3) is { Length: 3 } parts) await ProcessRunner.RunAsync("ip", $"link del {parts[1].Trim().Split('@')[0]}", throwOnError: false);
        await ProcessRunner.RunAsync("ip", $"link del {bridge}", throwOnError: false);
        await ProcessRunner.RunAsync("ip", $"link del {NetworkNames.ServiceDummy(nodeName)}", throwOnError: false);
        await ProcessRunner.RunAsync("nft", $"delete table ip {NetworkNames.ServiceTable(nodeName)}", throwOnError: false);
        // The nft table is shared by every agent on the machine: it goes with the last platform bridge.
        if (!(await ProcessRunner.RunAsync("ip", "-o link show", throwOnError: false)).Contains(NetworkNames.BridgePrefix, StringComparison.Ordinal))
        {
            await ProcessRunner.RunAsync("nft", "delete table inet platform_podnet", throwOnError: false);
            var accept = "FORWARD -i plbr-+ -o plbr-+ -m comment --comment platform_podnet -j ACCEPT";
            while (!(await ProcessRunner.RunAsync("sh", $"-c \"iptables -D {accept} 2>&1 || echo failed\"", throwOnError: false)).Contains("failed", StringComparison.Ordinal)) { }
        }
    }

    /// <summary>
    /// Removes every container a test's node left behind (agents leave containers running on purpose), then its pod
    /// network (<see cref="RemoveNetworkAsync"/>).
    /// </summary>
    public static async Task RemoveContainersAsync(DockerClient docker, string nodeName)
    {
        var list = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Node}={nodeName}"] = true } },
        });
        foreach (var c in list)
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
            }
            catch (DockerApiException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
            {
                // The agent was removing it at the same moment (a deleted pod's cleanup): gone either way.
            }
        }
        await RemoveNetworkAsync(nodeName);
    }
}
