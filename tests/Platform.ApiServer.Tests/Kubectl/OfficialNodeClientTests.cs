using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Kubernetes;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>The official Node Kubernetes client (@kubernetes/client-node on npm) against the apiserver, from a kubeconfig.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class OfficialNodeClientTests(PostgresFixture pg, KafkaFixture kafka, KubernetesNodeClientPackage client)
    : IClassFixture<KubernetesNodeClientPackage>
{
    [Fact]
    public async Task NodeClient_FromAKubeconfig_CreatesWatchesPatchesListsAndDeletes()
    {
        using var session = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: session.UseHttps);
        var ns = "node-" + Guid.NewGuid().ToString("N")[..8];
        session.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await session.OkAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n", "apply", "-f", "-");

        await client.RunScenarioAsync(session.KubeconfigPath, ns);
    }
}
