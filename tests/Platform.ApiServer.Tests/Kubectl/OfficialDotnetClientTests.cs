using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Kubernetes;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>The official .NET Kubernetes client against a test apiserver (the scenario: <see cref="OfficialDotnetClientScenario"/>).</summary>
[Collection(ApiServerCollection.Name)]
public sealed class OfficialDotnetClientTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KubernetesClient_FromAKubeconfig_ListsCreatesWatchesPatchesAndDeletes()
    {
        using var session = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: session.UseHttps);
        var ns = "dotnet-" + Guid.NewGuid().ToString("N")[..8];
        session.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        await OfficialDotnetClientScenario.RunAsync(session.KubeconfigPath, ns);
    }
}
