using Platform.Contracts.Resources;
using Platform.Testing.ApiServer;

namespace Platform.Testing.Cluster;

/// <summary>
/// One test's node: an admin client, its own namespace and node name, and the agents it started for that node (a
/// restart is a stop and a new start). Disposal stops the agents and removes every container the node left behind.
/// </summary>
public sealed class NodeScope : IAsyncDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly List<NodeAgentHost> _agents = [];

    private NodeScope(ClusterFixture cluster, HttpClient admin, string ns)
    {
        _cluster = cluster;
        Admin = admin;
        Namespace = ns;
    }

    public HttpClient Admin { get; }
    public string Namespace { get; }
    public string Node { get; } = ClusterApi.NewName("node");

    public static async Task<NodeScope> CreateAsync(ClusterFixture cluster)
    {
        var admin = cluster.ApiServer.Client();
        return new NodeScope(cluster, admin, await admin.CreateNamespaceAsync());
    }

    /// <summary>A node agent for <see cref="Node"/> with a node token; <paramref name="configure"/> adjusts its settings.</summary>
    public async Task<NodeAgentHost> StartAgentAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var agent = await NodeAgentHost.StartAsync(_cluster, Node, await Admin.CreateNodeTokenAsync(Node), configure);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Stops <paramref name="agent"/> as a restart would: its containers keep running.</summary>
    public async Task StopAgentAsync(NodeAgentHost agent)
    {
        await agent.DisposeAsync();
        _agents.Remove(agent);
    }

    public Task<Pod> WaitPodAsync(string name, Func<Pod, bool> condition, string what, int seconds = 60) =>
        Eventually.WaitAsync(async () => await Admin.GetPodAsync(Namespace, name) is { } p && condition(p) ? p : null,
            TimeSpan.FromSeconds(seconds), what, TimeSpan.FromMilliseconds(200));

    public async ValueTask DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(_cluster.Docker.Client, Node);
        Admin.Dispose();
    }
}
