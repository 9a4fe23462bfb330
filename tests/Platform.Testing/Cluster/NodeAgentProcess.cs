using System.Diagnostics;

namespace Platform.Testing.Cluster;

/// <summary>
/// A node agent as its own process (its built Platform.NodeAgent.dll), so a test can kill -9 it, or run it next to an
/// in-process apiserver without the agent's appsettings.json in the test's output. A project that starts one builds
/// services/node-agent (a ProjectReference, <c>ReferenceOutputAssembly="false"</c> is enough).
/// </summary>
public sealed class NodeAgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodeAgentProcess(Process process) => _process = process;

    public static Task<NodeAgentProcess> StartAsync(ClusterFixture cluster, string nodeName, string token) =>
        StartAsync(cluster.ApiServer.BaseAddress, cluster.ApiServer.TopicPrefix, cluster.Docker.Endpoint, cluster.Kafka.BootstrapServers, nodeName, token);

    public static async Task<NodeAgentProcess> StartAsync(Uri apiServer, string topicPrefix, string dockerEndpoint, string kafka, string nodeName, string token)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        var root = dir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Directory.Build.props"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "services", "node-agent", "bin", dir.Parent!.Name, dir.Name, "Platform.NodeAgent.dll");
        var port = Network.FreeTcpPort();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["NodeAgent__NodeName"] = nodeName;
        psi.Environment["NodeAgent__ApiServerUrl"] = apiServer.ToString();
        psi.Environment["NodeAgent__Token"] = token;
        psi.Environment["NodeAgent__DockerHost"] = dockerEndpoint;
        psi.Environment["NodeAgent__TopicPrefix"] = topicPrefix;
        psi.Environment["NodeAgent__PortRange"] = NodeAgentHost.NextPortRange();
        psi.Environment["NodeAgent__HeartbeatInterval"] = "00:00:01";
        psi.Environment["NodeAgent__SyncInterval"] = "00:00:00.250";
        psi.Environment["NodeAgent__PodNetwork__Enabled"] = NodeAgentHost.TestPodNetwork;
        psi.Environment["NodeAgent__PodNetwork__PodCidr"] = NodeAgentHost.NextPodCidr();
        psi.Environment["NodeAgent__PodNetwork__PauseImage"] = DockerFixture.PauseImage;
        psi.Environment["Kafka__BootstrapServers"] = kafka;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var agent = new NodeAgentProcess(process);
        try
        {
            await Eventually.WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "node agent /healthz");
        }
        catch
        {
            await agent.DisposeAsync(); // never leave a process behind
            throw;
        }
        return agent;
    }

    /// <summary>SIGKILL: no goodbye, no last heartbeat; its containers keep running, as on a host that lost its agent.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
