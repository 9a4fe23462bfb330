using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.ControllerManager.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using Platform.Testing.Cluster;

namespace Platform.ControllerManager.Tests.Controllers.EndpointSlice;

using Slice = Platform.Contracts.Resources.EndpointSlice;

/// <summary>The real controller-manager (Kafka informers, a controller token) against a real apiserver process.</summary>
[Collection(ControlPlaneCollection.Name)]
public sealed class EndpointSliceEndToEndTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task PodsOfAService_BecomeSliceAndEndpoints_ThroughTheApiserver_AndAnOrphanSliceIsCollected()
    {
        await using var apiServer = await ApiServerProcess.StartAsync(pg, kafka);
        using var admin = apiServer.Client(apiServer.AdminToken);
        var ns = await admin.CreateNamespaceAsync();
        await using var controllers = await ControllerManagerHost.StartAsync(apiServer, kafka, await admin.CreateTokenAsync("controller"));

        var svc = await admin.CreateAsync($"/api/v1/namespaces/{ns}/services", new Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new ObjectMeta { Name = "web" },
            Spec = new ServiceSpec { Selector = new() { ["app"] = "web" }, Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = "http" }] },
        });
        foreach (var (name, ip, ready) in new[] { ("web-a", "10.244.1.2", true), ("web-b", "10.244.1.3", false) })
        {
            await admin.CreateAsync($"/api/v1/namespaces/{ns}/pods", new Pod
            {
                ApiVersion = "v1", Kind = "Pod", Metadata = new ObjectMeta { Name = name, Labels = new() { ["app"] = "web" } },
                Spec = new PodSpec { Containers = [new Container { Name = "c", Image = "busybox", Ports = [new ContainerPort { Name = "http", Port = 8080 }] }] },
            });
            await ClusterApi.SendAsync(admin, HttpMethod.Patch, $"/api/v1/namespaces/{ns}/pods/{name}/status", new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running", ["podIP"] = ip,
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                },
            });
        }

        var slices = $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices";
        var slice = await Eventually.WaitAsync(async () => (await ListAsync(admin, slices + "?labelSelector=kubernetes.io%2Fservice-name%3Dweb")) is [{ Endpoints.Count: 2 } s] ? s : null,
            TimeSpan.FromSeconds(30), "the slice of web");
        Assert.Equal((string?)svc["metadata"]!["uid"], slice.Metadata.OwnerReferences![0].Uid);
        Assert.Equal(8080, slice.Ports![0].Port);
        Assert.True(slice.Endpoints!.Single(e => e.TargetRef!.Name == "web-a").Conditions!.Ready);
        // The Endpoints mirror follows the slice on its own writes: its first version may hold one pod only.
        var endpoints = await Eventually.WaitAsync(async () => await admin.GetAsync<Endpoints>($"/api/v1/namespaces/{ns}/endpoints/web")
            is { Subsets: [{ Addresses.Count: > 0, NotReadyAddresses.Count: > 0 }] } e ? e : null, TimeSpan.FromSeconds(30), "the Endpoints of web with both pods");
        Assert.Equal("10.244.1.2", Assert.Single(endpoints.Subsets![0].Addresses!).Ip);
        Assert.Equal("10.244.1.3", Assert.Single(endpoints.Subsets![0].NotReadyAddresses!).Ip);

        // A slice whose Service is gone (as one written just after the Service's deletion) is collected.
        await admin.CreateAsync(slices, new Slice
        {
            ApiVersion = "discovery.k8s.io/v1", Kind = "EndpointSlice", AddressType = "IPv4",
            Metadata = new ObjectMeta
            {
                Name = "stale", Labels = new() { ["kubernetes.io/service-name"] = "old" },
                OwnerReferences = [new OwnerReference { ApiVersion = "v1", Kind = "Service", Name = "old", Uid = Guid.NewGuid().ToString(), Controller = true }],
            },
            Endpoints = [],
        });
        await Eventually.WaitAsync(async () => await admin.GetAsync<Slice>($"{slices}/stale") is null, TimeSpan.FromSeconds(30), "the orphan slice collected");

        // Deleting the Service takes its slice and Endpoints with it (owner references).
        await ClusterApi.SendAsync(admin, HttpMethod.Delete, $"/api/v1/namespaces/{ns}/services/web");
        await Eventually.WaitAsync(async () => (await ListAsync(admin, slices)).Count == 0 && await admin.GetAsync<Endpoints>($"/api/v1/namespaces/{ns}/endpoints/web") is null,
            TimeSpan.FromSeconds(30), "slices and Endpoints gone with the Service");
    }

    private static async Task<List<Slice>> ListAsync(HttpClient admin, string path)
    {
        var list = await ClusterApi.SendAsync(admin, HttpMethod.Get, path);
        return list["items"]!.AsArray().Select(i => i!.Deserialize<Slice>(ResourceJson.Options)!).ToList();
    }
}
