using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl against an apiserver over TLS with one in-process node agent running pods in dockerd: a kubeconfig for the
/// admin in a fresh namespace (not created yet), an admin client on the plain port, and the agent's node. Disposing
/// stops the agent, removes its containers and stops the apiserver.
/// </summary>
internal sealed class KubectlWithAgent(KubectlSession kubectl, ApiServerHost host, HttpClient admin, string ns, string node, DockerFixture docker) : IAsyncDisposable
{
    public KubectlSession Kubectl => kubectl;
    public ApiServerHost Host => host;
    public HttpClient Admin => admin;
    public string Namespace => ns;
    public string Node => node;
    public NodeAgentHost Agent { get; private set; } = null!;

    public static async Task<KubectlWithAgent> StartAsync(PostgresFixture pg, KafkaFixture kafka, DockerFixture docker, string namespacePrefix,
        Action<Dictionary<string, string?>>? apiServer = null, Action<Dictionary<string, string?>>? agent = null)
    {
        var kubectl = new KubectlSession();
        var host = await ApiServerHost.StartAsync(pg, kafka, apiServer, builderHook: kubectl.UseHttpsAndHttp);
        var ns = namespacePrefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var node = ClusterApi.NewName("node");
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        var admin = new HttpClient { BaseAddress = KubectlSession.PlainAddress(host.Services) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.AdminToken);
        var cluster = new KubectlWithAgent(kubectl, host, admin, ns, node, docker);
        try
        {
            cluster.Agent = await NodeAgentHost.StartAsync(admin.BaseAddress, host.TopicPrefix, docker, kafka, node, await admin.CreateNodeTokenAsync(node), agent);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        await NodeAgentHost.RemoveContainersAsync(docker.Client, Node);
        Admin.Dispose();
        await Host.DisposeAsync();
        Kubectl.Dispose();
    }
}
