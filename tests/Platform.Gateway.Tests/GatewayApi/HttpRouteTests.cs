using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Resources;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.GatewayApi;

/// <summary>
/// HTTPRoutes served by the gateway from a real apiserver, their Services resolved through EndpointSlices the test
/// writes (no controller-manager) to real backends: an 80/20 split over 1,000 requests, path/header/query/method
/// matches, a redirect, a URL rewrite with header modifiers, a cross-namespace backendRef refused until a
/// ReferenceGrant allows it, and the statuses of the GatewayClass, Gateway and HTTPRoutes.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed partial class HttpRouteTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private const string Controller = "platform.io/gateway-controller";

    private static async Task ServiceAsync(HttpClient admin, string ns, string name, int backendPort)
    {
        await admin.PostAsync(ResourceKinds.Service.CollectionPath(ns), Http.Yaml($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: {{name}}}
            spec:
              ports: [{name: http, port: 80}]
            """)).ExpectAsync(201);
        await admin.PostAsync(ResourceKinds.EndpointSlice.CollectionPath(ns), Http.Yaml($$"""
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata:
              name: {{name}}-1
              labels: {kubernetes.io/service-name: {{name}}}
            addressType: IPv4
            ports: [{name: http, port: {{backendPort}}, protocol: TCP}]
            endpoints:
            - addresses: [127.0.0.1]
              conditions: {ready: true}
            """)).ExpectAsync(201);
    }

    private static async Task ApplyAsync(HttpClient admin, string path, string yaml) =>
        await admin.PostAsync(path, Http.Yaml(yaml)).ExpectAsync(201);

    private static Task<HttpResponseMessage> SendAsync(GatewayHost gateway, string host, string path, HttpMethod? method = null, (string, string)? header = null) =>
        SendAsync(gateway.Client, host, path, method, header);

    /// <param name="client">The gateway's client, or one for another of its ports.</param>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host, string path, HttpMethod? method = null, (string, string)? header = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.Host = host;
        if (header is { } h) request.Headers.Add(h.Item1, h.Item2);
        return await client.SendAsync(request);
    }

    private static Task<string> BackendAsync(GatewayHost gateway, string host, string path, HttpMethod? method = null, (string, string)? header = null) =>
        BackendAsync(gateway.Client, host, path, method, header);

    /// <summary>The name of the backend that answered, else <c>status NNN</c>.</summary>
    private static async Task<string> BackendAsync(HttpClient client, string host, string path, HttpMethod? method = null, (string, string)? header = null)
    {
        using var r = await SendAsync(client, host, path, method, header);
        return r.StatusCode == HttpStatusCode.OK ? (await EchoResponse.ReadAsync(r)).Backend : $"status {(int)r.StatusCode}";
    }

    private static async Task<JsonNode> ConditionAsync(HttpClient admin, string path, Func<JsonNode, JsonNode?> select, string type, string status, string what)
    {
        return await Eventually.WaitAsync(async () =>
        {
            var obj = JsonNode.Parse(await admin.GetStringAsync(path))!;
            var condition = (select(obj) as JsonArray ?? []).FirstOrDefault(c => (string?)c?["type"] == type);
            return (string?)condition?["status"] == status ? condition : null;
        }, TimeSpan.FromSeconds(20), what);
    }

    /// <param name="kubectl">When given, the apiserver also serves HTTPS for kubectl; the test and the gateway use its plain port.</param>
    /// <param name="https">Whether the gateway serves its HTTPS endpoint (on a port of its choosing) with the Secrets it reads.</param>
    private async Task<(ApiServerHost Api, HttpClient Admin, GatewayHost Gateway, string Class)> StartAsync(Platform.ApiServer.Tests.Kubectl.KubectlSession? kubectl = null,
        bool https = false, string? ownUrl = null)
    {
        var api = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl is null ? null : kubectl.UseHttpsAndHttp);
        var apiUrl = kubectl is null ? api.BaseAddress : Platform.ApiServer.Tests.Kubectl.KubectlSession.PlainAddress(api.Services);
        var admin = new HttpClient { BaseAddress = apiUrl, Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", api.AdminToken);
        var gc = "platform-" + Guid.NewGuid().ToString("N")[..8];
        await admin.CreateNamespaceAsync("web");
        await admin.CreateNamespaceAsync("shared");
        var settings = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = api.Topic(ResourceKinds.Route),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = apiUrl.ToString(),
            ["Gateway:Routes:Token"] = api.AdminToken,
            ["Gateway:Auth:ApiKeySecrets:Topic"] = api.Topic(ResourceKinds.Secret),
            ["Gateway:Ingress:HttpsUrl"] = https ? "https://127.0.0.1:0" : null,
        };
        // The gateway's own HTTP endpoint from the Kestrel section instead of 127.0.0.1:0 (an endpoint without a url fails the start).
        if (ownUrl is not null) settings["Kestrel:Endpoints:Own:Url"] = ownUrl;
        var gateway = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", settings);
        await ApplyAsync(admin, ResourceKinds.GatewayClass.CollectionPath(null), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: {{gc}}}
            spec: {controllerName: {{Controller}}}
            """);
        await ApplyAsync(admin, ResourceKinds.Gateway.CollectionPath("web"), $$"""
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            spec:
              gatewayClassName: {{gc}}
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces: {from: Same}
            """);
        return (api, admin, gateway, gc);
    }

    [Fact]
    public async Task AnHttpRouteSplitting80To20_MeasuresWithin5Percent_OverAThousandRequests()
    {
        await using var a = await TestBackend.StartAsync("a");
        await using var b = await TestBackend.StartAsync("b");
        var (api, admin, gateway, _) = await StartAsync();
        await using var _1 = api;
        using var _2 = admin;
        await using var _3 = gateway;
        await ServiceAsync(admin, "web", "shop-v1", a.Port);
        await ServiceAsync(admin, "web", "shop-v2", b.Port);
        await ApplyAsync(admin, ResourceKinds.HttpRoute.CollectionPath("web"), """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: split}
            spec:
              parentRefs: [{name: web}]
              hostnames: [split.example.com]
              rules:
              - backendRefs:
                - {name: shop-v1, port: 80, weight: 80}
                - {name: shop-v2, port: 80, weight: 20}
            """);
        // Both Services' EndpointSlices must have reached the gateway: until then a backendRef without endpoints takes
        // its share of the requests and fails them, as Gateway API says it should.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.WaitAsync(async () =>
        {
            var answered = await BackendAsync(gateway, "split.example.com", "/");
            if (answered is "a" or "b") seen.Add(answered);
            return seen.Count == 2;
        }, TimeSpan.FromSeconds(20), "both backends of the split route served");

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 1000; i++)
        {
            var backend = await BackendAsync(gateway, "split.example.com", "/item/" + i);
            counts[backend] = counts.GetValueOrDefault(backend) + 1;
        }
        Assert.Equal(1000, counts.GetValueOrDefault("a") + counts.GetValueOrDefault("b"));
        Assert.InRange(counts.GetValueOrDefault("a"), 750, 850);

        // Status as Gateway API reports it.
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "split"), o => o["status"]?["parents"]?[0]?["conditions"], "Accepted", "True", "HTTPRoute Accepted");
        await ConditionAsync(admin, ResourceKinds.HttpRoute.ObjectPath("web", "split"), o => o["status"]?["parents"]?[0]?["conditions"], "ResolvedRefs", "True", "HTTPRoute ResolvedRefs");
        var gw = await Eventually.WaitAsync(async () =>
        {
            var o = JsonNode.Parse(await admin.GetStringAsync(ResourceKinds.Gateway.ObjectPath("web", "web")))!;
            return (int?)o["status"]?["listeners"]?[0]?["attachedRoutes"] == 1 ? o : null;
        }, TimeSpan.FromSeconds(20), "the listener counting the route");
        Assert.Contains(gw["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "Programmed" && (string?)c["status"] == "True");
        Assert.Equal("127.0.0.1", (string?)gw["status"]!["addresses"]![0]!["value"]);
    }
}
