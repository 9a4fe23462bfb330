using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

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

        var result = await client.RunScriptAsync("client.js", KubernetesNodeClientPackage.Script, [session.KubeconfigPath, ns], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"@kubernetes/client-node exited {result.ExitCode}: {result.Stderr}");
        var seen = JsonNode.Parse(result.Stdout)!;
        Assert.Equal((string?)seen["createdUid"], (string?)seen["watchedUid"]);
        Assert.True((bool)seen["createdAt"]!, "creationTimestamp parses as a Date");
        Assert.Equal(["web-1"], seen["byLabel"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(2, (int)seen["replicas"]!);
        Assert.Equal(0, (int)seen["left"]!);
    }
}
