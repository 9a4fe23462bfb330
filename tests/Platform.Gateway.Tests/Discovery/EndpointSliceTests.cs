using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.Discovery;

/// <summary>
/// A namespaced <c>lb://NAME</c> (Route resource or Ingress backend) through the EndpointSlices of Service NAME, written
/// to a real apiserver by the test (no controller-manager) and followed by the gateway on Kafka: endpoints added,
/// turning not ready, the Service port an Ingress backend names, and a backend naming a port that does not exist.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class EndpointSliceTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private static JsonObject Service(string name, params (string Name, int Port)[] ports) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port })]) },
    };

    private static JsonObject Endpoint(bool ready) => new()
    {
        ["addresses"] = new JsonArray("127.0.0.1"), ["conditions"] = new JsonObject { ["ready"] = ready },
    };

    private static JsonObject Slice(string name, string service, (string Name, int Port)[] ports, params JsonObject[] endpoints) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1", ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/service-name"] = service } },
        ["addressType"] = "IPv4",
        ["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["port"] = p.Port, ["protocol"] = "TCP" })]),
        ["endpoints"] = new JsonArray(endpoints),
    };

    private async Task<(ApiServerHost Api, HttpClient Admin, GatewayHost Gateway)> StartAsync()
    {
        var api = await ApiServerHost.StartAsync(pg, kafka);
        var admin = api.AdminClient();
        await admin.CreateNamespaceAsync("team-a");
        await admin.CreateNamespaceAsync("team-b");
        var gateway = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = api.Topic(ResourceKinds.Route),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = api.AdminToken,
        });
        return (api, admin, gateway);
    }

    private static async Task<string> BackendAsync(GatewayHost gateway, string path, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null) request.Headers.Host = host;
        using var r = await gateway.Client.SendAsync(request);
        return r.StatusCode == HttpStatusCode.OK ? (await EchoResponse.ReadAsync(r)).Backend : $"status {(int)r.StatusCode}";
    }

    /// <summary>Which backends answered <paramref name="count"/> requests for <paramref name="path"/>.</summary>
    private static async Task<SortedSet<string>> BackendsAsync(GatewayHost gateway, string path, int count = 8, string? host = null)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++) seen.Add(await BackendAsync(gateway, path, host));
        return seen;
    }

    [Fact]
    public async Task ARouteToAService_FollowsItsSlices_EndpointsAddedAndNotReady_AndTheCrossNamespaceGrant()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var (api, admin, gateway) = await StartAsync();
        await using var _ = api;
        using var __ = admin;
        await using var ___ = gateway;
        await admin.PostAsJsonAsync(ResourceKinds.Service.CollectionPath("team-a"), Service("web", ("http", 80))).ExpectAsync(201);
        await admin.PostAsJsonAsync(ResourceKinds.EndpointSlice.CollectionPath("team-a"), Slice("web-1", "web", [("http", a.Port)], Endpoint(true))).ExpectAsync(201);
        await admin.PostAsJsonAsync(ResourceKinds.Route.CollectionPath("team-a"), new JsonObject
        {
            ["apiVersion"] = "gateway.platform.io/v1", ["kind"] = "Route",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "team-a" },
            ["spec"] = new JsonObject { ["uri"] = "lb://web", ["predicates"] = new JsonArray("Path=/web/**") },
        }).ExpectAsync(201);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/web/x") == "a", TimeSpan.FromSeconds(20), "the Service's endpoint");
        Assert.Equal(["a"], await BackendsAsync(gateway, "/web/x"));

        // A second slice of the Service, with an endpoint on b's port: both answer.
        await admin.PostAsJsonAsync(ResourceKinds.EndpointSlice.CollectionPath("team-a"), Slice("web-2", "web", [("http", b.Port)], Endpoint(true))).ExpectAsync(201);
        await Eventually.WaitAsync(async () => (await BackendsAsync(gateway, "/web/x")).SetEquals(["a", "b"]), TimeSpan.FromSeconds(10), "both endpoints");

        // b's endpoint turns not ready: it gets no more traffic at once (bounded by 2 s, the behaviour not the timing).
        await admin.PatchAsync(ResourceKinds.EndpointSlice.ObjectPath("team-a", "web-2"),
            new JsonObject { ["endpoints"] = new JsonArray(Endpoint(false)) }.ToJsonString()).ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await BackendsAsync(gateway, "/web/x", 2)).SetEquals(["a"]), TimeSpan.FromSeconds(2), "b out of rotation");
        var hitsOfB = b.Hits;
        Assert.Equal(["a"], await BackendsAsync(gateway, "/web/x", 10));
        Assert.Equal(hitsOfB, b.Hits);

        // A Route of team-b naming team-a's Service reaches it only once the Service allows team-b's Routes.
        await admin.PostAsJsonAsync(ResourceKinds.Route.CollectionPath("team-b"), new JsonObject
        {
            ["apiVersion"] = "gateway.platform.io/v1", ["kind"] = "Route",
            ["metadata"] = new JsonObject { ["name"] = "borrow", ["namespace"] = "team-b" },
            ["spec"] = new JsonObject { ["uri"] = "lb://web.team-a", ["predicates"] = new JsonArray("Path=/borrow/**") },
        }).ExpectAsync(201);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/borrow/x") == "status 503", TimeSpan.FromSeconds(20), "team-b's route, not granted");
        await admin.PatchAsync(ResourceKinds.Service.ObjectPath("team-a", "web"),
            """{"metadata":{"annotations":{"gateway.platform.io/allow-routes-from":"team-b"}}}""").ExpectAsync(200);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/borrow/x") == "a", TimeSpan.FromSeconds(10), "team-b's route, granted");

        // The Service gone: its slices no longer answer for it (no registry application either: 503).
        await admin.DeleteAsync(ResourceKinds.Service.ObjectPath("team-a", "web"));
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/web/x") == "status 503", TimeSpan.FromSeconds(10), "no Service, no registry app");
    }

    [Fact]
    public async Task AnIngressNamingTwoPortsOfOneService_ReachesTwoBackends_AndAMissingPortIs503WithAWarning()
    {
        await using var web = await TestBackend.StartAsync("web");
        await using var metrics = await TestBackend.StartAsync("metrics");
        var (api, admin, gateway) = await StartAsync();
        await using var _ = api;
        using var __ = admin;
        await using var ___ = gateway;
        await admin.PostAsJsonAsync(ResourceKinds.Service.CollectionPath("team-a"), Service("shop", ("http", 80), ("metrics", 9090))).ExpectAsync(201);
        await admin.PostAsJsonAsync(ResourceKinds.EndpointSlice.CollectionPath("team-a"),
            Slice("shop-1", "shop", [("http", web.Port), ("metrics", metrics.Port)], Endpoint(true))).ExpectAsync(201);

        static JsonObject Path(string path, JsonObject port, string service = "shop") => new()
        {
            ["path"] = path, ["pathType"] = "Prefix",
            ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = service, ["port"] = port } },
        };
        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-a"), new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = "shop", ["namespace"] = "team-a" },
            ["spec"] = new JsonObject
            {
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["host"] = "shop.example.com",
                    ["http"] = new JsonObject
                    {
                        ["paths"] = new JsonArray(
                            Path("/app", new JsonObject { ["name"] = "http" }),
                            Path("/stats", new JsonObject { ["number"] = 9090 }),
                            Path("/broken", new JsonObject { ["name"] = "admin" }),
                            Path("/gone", new JsonObject { ["number"] = 80 }, "gone")),
                    },
                }),
            },
        }).ExpectAsync(201);

        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/app/x", "shop.example.com") == "web", TimeSpan.FromSeconds(20), "the http port");
        Assert.Equal("metrics", await BackendAsync(gateway, "/stats", "shop.example.com"));
        Assert.Equal("status 503", await BackendAsync(gateway, "/broken/x", "shop.example.com"));
        Assert.Equal("status 503", await BackendAsync(gateway, "/gone/x", "shop.example.com"));

        var warnings = await Eventually.WaitAsync(async () =>
        {
            var list = JsonNode.Parse(await admin.GetStringAsync("/api/v1/namespaces/team-a/events"))!["items"]!.AsArray();
            var found = list.Where(e => (string?)e?["involvedObject"]?["name"] == "shop" && (string?)e?["reason"] == "BackendNotFound").ToList();
            return found.Count == 2 ? found : null;
        }, TimeSpan.FromSeconds(30), "two BackendNotFound events on the Ingress"); // the recorder writes in the background
        Assert.All(warnings, w => Assert.Equal("Warning", (string?)w!["type"]));
        var messages = warnings.Select(w => (string?)w!["message"]).Order(StringComparer.Ordinal).ToList();
        Assert.StartsWith("service \"gone\" not found in namespace \"team-a\"", messages[0]);
        Assert.StartsWith("service \"shop\" in namespace \"team-a\" has no port named \"admin\"", messages[1]);

        // The port added to the Service (and the slice): the backend is served, with no restart.
        await admin.PatchAsync(ResourceKinds.Service.ObjectPath("team-a", "shop"),
            """{"spec":{"ports":[{"name":"http","port":80},{"name":"metrics","port":9090},{"name":"admin","port":8081}]}}""").ExpectAsync(200);
        await admin.PatchAsync(ResourceKinds.EndpointSlice.ObjectPath("team-a", "shop-1"),
            new JsonObject { ["ports"] = new JsonArray(
                new JsonObject { ["name"] = "http", ["port"] = web.Port }, new JsonObject { ["name"] = "metrics", ["port"] = metrics.Port },
                new JsonObject { ["name"] = "admin", ["port"] = metrics.Port }) }.ToJsonString()).ExpectAsync(200);
        await Eventually.WaitAsync(async () => await BackendAsync(gateway, "/broken/x", "shop.example.com") == "metrics", TimeSpan.FromSeconds(10), "the added port");
    }
}
