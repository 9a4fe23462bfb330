using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.NodeAgent;
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

    /// <summary>A disjoint block of 100 host ports per agent, so agents of one run never hand out the same port.</summary>
    public static string NextPortRange()
    {
        var block = Interlocked.Increment(ref s_block);
        var first = 20000 + (Environment.ProcessId % 40 * 250 + block * 100) % 9900;
        return $"{first}-{first + 99}";
    }

    private static int s_block;

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

    /// <summary>Removes every container a test's node left behind (agents leave containers running on purpose).</summary>
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
    }
}
