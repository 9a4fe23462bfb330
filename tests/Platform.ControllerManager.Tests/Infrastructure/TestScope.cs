using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Infrastructure;

/// <summary>
/// One test's slice of the shared cluster: an admin client, its own namespace, and the controller-manager and node
/// agents it started. Disposal stops the controllers first (so nothing recreates what is being deleted), deletes the
/// namespace, stops the agents and removes their containers.
/// </summary>
public sealed class TestScope : IAsyncDisposable
{
    private readonly ClusterFixture _cluster;
    private readonly List<(string Node, IAsyncDisposable Agent)> _agents = [];
    private ControllerManagerHost? _controllers;
    private SchedulerHost? _scheduler;

    private TestScope(ClusterFixture cluster, HttpClient admin, string ns)
    {
        _cluster = cluster;
        Admin = admin;
        Namespace = ns;
    }

    public HttpClient Admin { get; }
    public string Namespace { get; }

    public static async Task<TestScope> CreateAsync(ClusterFixture cluster)
    {
        var admin = cluster.ApiServer.Client();
        return new TestScope(cluster, admin, await admin.CreateNamespaceAsync());
    }

    /// <summary>The controller-manager with a controller-role token; <paramref name="configure"/> adjusts its settings.</summary>
    public async Task<ControllerManagerHost> StartControllersAsync(Action<Dictionary<string, string?>>? configure = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null) =>
        _controllers = await ControllerManagerHost.StartAsync(_cluster, await Admin.CreateTokenAsync("controller"), configure, services);

    /// <summary>Stops the controller-manager this scope started (a restart is a stop, then <see cref="StartControllersAsync"/>).</summary>
    public async Task StopControllersAsync()
    {
        if (_controllers is not null) await _controllers.DisposeAsync();
        _controllers = null;
    }

    /// <summary>A scheduler of its own name (<see cref="SchedulerHost.SchedulerName"/>) with a scheduler-role token.</summary>
    public async Task<SchedulerHost> StartSchedulerAsync() =>
        _scheduler = await SchedulerHost.StartAsync(_cluster, await Admin.CreateTokenAsync("scheduler"));

    /// <summary>A node agent in this process for <paramref name="node"/>, with a node token; <paramref name="configure"/> adjusts its settings.</summary>
    public async Task<NodeAgentHost> StartAgentAsync(string node, Action<Dictionary<string, string?>>? configure = null)
    {
        var agent = await NodeAgentHost.StartAsync(_cluster, node, await Admin.CreateNodeTokenAsync(node), configure);
        _agents.Add((node, agent));
        return agent;
    }

    /// <summary>A node agent as its own process, for tests that kill it with SIGKILL.</summary>
    public async Task<NodeAgentProcess> StartAgentProcessAsync(string node)
    {
        var agent = await NodeAgentProcess.StartAsync(_cluster, node, await Admin.CreateNodeTokenAsync(node));
        _agents.Add((node, agent));
        return agent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_controllers is not null) await _controllers.DisposeAsync();
        if (_scheduler is not null) await _scheduler.DisposeAsync();
        await ClusterApi.SendAsync(Admin, HttpMethod.Delete, $"/api/v1/namespaces/{Namespace}");
        foreach (var (_, agent) in _agents) await agent.DisposeAsync();
        foreach (var (node, _) in _agents) await NodeAgentHost.RemoveContainersAsync(_cluster.Docker.Client, node);
        Admin.Dispose();
    }
}
