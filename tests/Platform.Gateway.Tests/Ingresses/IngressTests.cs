using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.Ingresses;

/// <summary>
/// The gateway as the ingress controller of the <c>platform</c> class: an Ingress written to a real apiserver, with two
/// hosts and paths, routes to two Services (registered in discovery); precedence, classes, status, conflicts, delete.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class IngressTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private static JsonObject Path(string path, string type, string service) => new()
    {
        ["path"] = path, ["pathType"] = type,
        ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = service, ["port"] = new JsonObject { ["number"] = 80 } } },
    };

    private static JsonObject Ingress(string ns, string name, string? cls, JsonArray rules, string? defaultService = null)
    {
        var spec = new JsonObject { ["rules"] = rules };
        if (cls is not null) spec["ingressClassName"] = cls;
        if (defaultService is not null)
            spec["defaultBackend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = defaultService, ["port"] = new JsonObject { ["number"] = 80 } } };
        return new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static JsonObject Rule(string host, params JsonObject[] paths) =>
        new() { ["host"] = host, ["http"] = new JsonObject { ["paths"] = new JsonArray(paths) } };

    [Fact]
    public async Task AnIngressWithTwoHostsAndPaths_RoutesToTwoServices_InKubernetesPrecedence_AndIsReported()
    {
        await using var shop = await TestBackend.StartAsync("shop");
        await using var api = await TestBackend.StartAsync("api");
        await using var apiServer = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = apiServer.AdminClient();
        await admin.CreateNamespaceAsync("team-a");
        await admin.CreateNamespaceAsync("team-b");
        await using var registry = await RegistryStack.StartAsync(kafka.BootstrapServers, kafka.CreateTopic("registry"));
        await registry.RegisterServiceInstanceAsync(new ServiceApplication("shop", "team-a"), "shop-1", shop.Port);
        await registry.RegisterServiceInstanceAsync(new ServiceApplication("api", "team-a"), "api-1", api.Port);
        await using var gateway = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = registry.EurekaUrl,
            ["Gateway:RegistryTopic"] = registry.Topic,
            ["Gateway:RoutesTopic"] = apiServer.Topic(ResourceKinds.Route),
            ["Gateway:Routes:ApiServerUrl"] = apiServer.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = apiServer.AdminToken,
        });

        async Task<string> BackendAsync(string host, string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var r = await gateway.Client.SendAsync(request);
            return r.StatusCode == HttpStatusCode.OK ? (await EchoResponse.ReadAsync(r)).Backend : $"status {(int)r.StatusCode}";
        }

        // No class named: the platform class is the default.
        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-a"), Ingress("team-a", "shop", null, new JsonArray(
            Rule("shop.example.com", Path("/", "Prefix", "shop")),
            Rule("api.example.com", Path("/v1", "Prefix", "api"), Path("/v1/health", "Exact", "shop"))), defaultService: "shop")).ExpectAsync(201);

        await Eventually.WaitAsync(async () => await BackendAsync("shop.example.com", "/cart") == "shop", TimeSpan.FromSeconds(20), "the shop host");
        Assert.Equal("api", await BackendAsync("api.example.com", "/v1/orders"));
        Assert.Equal("api", await BackendAsync("api.example.com", "/v1"));
        Assert.Equal("shop", await BackendAsync("api.example.com", "/v1/health"));  // Exact before Prefix
        Assert.Equal("shop", await BackendAsync("api.example.com", "/v10"));        // element-wise: /v1 is not a prefix of /v10; the default backend
        Assert.Equal("shop", await BackendAsync("other.example.com", "/v1/orders")); // no rule for the host: the default backend

        var status = await Eventually.WaitAsync(async () =>
        {
            var ing = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Ingress.ObjectPath("team-a", "shop")));
            return (string?)ing?["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"];
        }, TimeSpan.FromSeconds(10), "status.loadBalancer written by the gateway");
        Assert.Equal("127.0.0.1", status);

        // Another controller's class is not served here.
        await admin.PostAsJsonAsync("/apis/networking.k8s.io/v1/ingressclasses", new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "IngressClass",
            ["metadata"] = new JsonObject { ["name"] = "other" }, ["spec"] = new JsonObject { ["controller"] = "example.com/other" },
        }).ExpectAsync(201);
        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-a"),
            Ingress("team-a", "elsewhere", "other", new JsonArray(Rule("api.example.com", Path("/v2", "Prefix", "api"))))).ExpectAsync(201);

        // Another namespace claiming a host team-a routes first is not served, and is told why.
        await admin.PostAsJsonAsync(ResourceKinds.Ingress.CollectionPath("team-b"),
            Ingress("team-b", "takeover", null, new JsonArray(Rule("shop.example.com", Path("/", "Prefix", "shop"))))).ExpectAsync(201);
        var conflict = await Eventually.WaitAsync(async () =>
        {
            var list = JsonNode.Parse(await admin.GetStringAsync("/api/v1/namespaces/team-b/events"))!["items"]!.AsArray();
            return list.FirstOrDefault(e => (string?)e?["involvedObject"]?["name"] == "takeover" && (string?)e?["reason"] == "Conflict");
        }, TimeSpan.FromSeconds(10), "a Conflict event on the Ingress of team-b");
        Assert.Equal("Warning", (string?)conflict["type"]);
        Assert.Equal("gateway", (string?)conflict["source"]?["component"]);
        Assert.Equal("shop", await BackendAsync("shop.example.com", "/cart"));
        Assert.Equal("shop", await BackendAsync("api.example.com", "/v2/x"));  // the other class's rule: the default backend
        Assert.DoesNotContain(gateway.Runtime.Current.Routes, r => r.Id.StartsWith("team-a/elsewhere#", StringComparison.Ordinal));

        await admin.DeleteAsync(ResourceKinds.Ingress.ObjectPath("team-a", "shop"));
        await Eventually.WaitAsync(async () => await BackendAsync("api.example.com", "/v1/orders") == "status 404", TimeSpan.FromSeconds(10), "the deleted Ingress's routes gone");
    }
}
