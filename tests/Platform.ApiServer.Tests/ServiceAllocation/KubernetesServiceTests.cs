using Platform.ApiServer.Tests.Infrastructure;
using Platform.ApiServer.Tests.Kubectl;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.ServiceAllocation;

/// <summary>
/// The <c>kubernetes</c> Service of <c>default</c>: the service range's first address, 443 → the advertised secure port,
/// its EndpointSlice and Endpoints written by the apiserver and brought up to date at the next start.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesServiceTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task KubernetesService_HasTheFirstServiceAddress_AndEndpointsAtTheAdvertisedPort_FollowingTheConfiguration()
    {
        using var kubectl = new KubectlSession();
        string connection;
        await using (var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttps))
        {
            connection = host.ConnectionString;
            kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, "default");
            Assert.Matches(@"^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443/TCP\s+\S+\n$", await kubectl.OkAsync(null, "get", "svc", "kubernetes", "--no-headers"));
            Assert.Equal("https 6443 apiserver", await kubectl.OkAsync(null, "get", "svc", "kubernetes", "-o",
                "jsonpath={.spec.ports[0].name} {.spec.ports[0].targetPort} {.metadata.labels.component}"));
            Assert.Equal("127.0.0.1 6443 true", await kubectl.OkAsync(null, "get", "endpointslice", "kubernetes", "-o",
                "jsonpath={.endpoints[0].addresses[0]} {.ports[0].port} {.endpoints[0].conditions.ready}"));
            Assert.Equal("127.0.0.1:6443", await kubectl.OkAsync(null, "get", "endpoints", "kubernetes", "-o",
                "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"));
        }

        // A restart with another advertised endpoint moves the endpoints; the Service (and its address) stays.
        await using var again = await ApiServerHost.StartAsync(pg, kafka, s =>
        {
            s["ApiServer:AdvertiseAddress"] = "127.0.0.2";
            s["ApiServer:AdvertisePort"] = "7443";
        }, connectionString: connection, builderHook: kubectl.UseHttps);
        kubectl.WriteKubeconfig(again.BaseAddress, again.AdminToken, "default");
        Assert.Equal("127.0.0.2 7443", await kubectl.OkAsync(null, "get", "endpointslice", "kubernetes", "-o", "jsonpath={.endpoints[0].addresses[0]} {.ports[0].port}"));
        Assert.Equal("10.96.0.1", await kubectl.OkAsync(null, "get", "svc", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"));
    }
}
