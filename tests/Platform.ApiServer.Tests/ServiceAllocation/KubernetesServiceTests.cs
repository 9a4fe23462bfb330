using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task SeveralApiServers_AreAllEndpoints_OneStoppingLeavesAtOnce_AndAnExpiredLeaseDropsOut()
    {
        var connection = await pg.CreateDatabaseAsync("apiserver");
        // A TTL far longer than the test: only a clean stop or a lease's own expiry can take a replica out.
        Action<Dictionary<string, string?>> replica(string address) => s =>
        {
            s["ApiServer:AdvertiseAddress"] = address;
            s["ApiServer:EndpointReconcileInterval"] = "00:00:00.2";
            s["ApiServer:EndpointLeaseTtl"] = "00:01:00";
        };
        var a = await ApiServerHost.StartAsync(pg, kafka, replica("127.0.0.1"), connectionString: connection);
        await using var b = await ApiServerHost.StartAsync(pg, kafka, replica("127.0.0.2"), connectionString: connection);
        using var http = b.AdminClient();
        await EndpointsAsync(http, "127.0.0.1", "127.0.0.2");
        var leases = await http.GetFromJsonAsync<JsonObject>("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases?labelSelector=apiserver.kubernetes.io/identity%3Dkube-apiserver");
        Assert.Equal(2, leases!["items"]!.AsArray().Count);

        await a.DisposeAsync();
        await EndpointsAsync(http, "127.0.0.2");

        // A replica that died without a word: its lease (renewed now, for 2 s) counts until it expires.
        var lease = new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease",
            ["metadata"] = new JsonObject
            {
                ["name"] = "apiserver-gone", ["labels"] = new JsonObject { ["apiserver.kubernetes.io/identity"] = "kube-apiserver" },
                ["annotations"] = new JsonObject { ["platform.io/advertise-address"] = "127.0.0.3:6443" },
            },
            ["spec"] = new JsonObject { ["holderIdentity"] = "gone", ["leaseDurationSeconds"] = 2, ["renewTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) },
        };
        (await http.PostAsJsonAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", lease)).EnsureSuccessStatusCode();
        await EndpointsAsync(http, "127.0.0.2", "127.0.0.3");
        await EndpointsAsync(http, "127.0.0.2");
    }

    /// <summary>Waits (bounded) until the Endpoints and the EndpointSlice both list exactly these addresses at 6443.</summary>
    private static async Task EndpointsAsync(HttpClient http, params string[] addresses)
    {
        var want = string.Join(",", addresses);
        string seen = "";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var endpoints = await http.GetFromJsonAsync<JsonObject>("/api/v1/namespaces/default/endpoints/kubernetes");
            var slice = await http.GetFromJsonAsync<JsonObject>("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes");
            var fromEndpoints = string.Join(",", endpoints!["subsets"]!.AsArray().SelectMany(s => s!["addresses"]!.AsArray()).Select(a => a!["ip"]!.GetValue<string>()));
            var fromSlice = string.Join(",", slice!["endpoints"]!.AsArray().Select(e => e!["addresses"]![0]!.GetValue<string>()));
            seen = $"endpoints {fromEndpoints}, slice {fromSlice}";
            if (fromEndpoints == want && fromSlice == want && slice["ports"]![0]!["port"]!.GetValue<int>() == 6443) return;
            await Task.Delay(100);
        }
        Assert.Fail($"wanted {want}; last seen {seen}");
    }
}
