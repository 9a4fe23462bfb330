using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Contracts.Registry;
using Platform.Contracts.Resources;
using Platform.Gateway.Auth;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Gateway.Tests.Tenancy;

/// <summary>
/// Two teams on one gateway: namespaces <c>team-a</c> and <c>team-b</c>, each with a Service <c>web</c> registered in
/// the real discovery server as the endpoints controller registers it (<c>WEB.TEAM-A</c>, <c>WEB.TEAM-B</c>), backed by
/// a backend of its own on loopback, and Routes written through the real apiserver with each team's editor token.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class TwoTeamTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private sealed class Teams : IAsyncDisposable
    {
        public required ApiServerHost Api { get; init; }
        public required RegistryStack Registry { get; init; }
        public required GatewayHost Gateway { get; init; }
        public required TestBackend WebA { get; init; }
        public required TestBackend WebB { get; init; }
        public required HttpClient EditorA { get; init; }
        public required HttpClient EditorB { get; init; }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            EditorA.Dispose();
            EditorB.Dispose();
            await Registry.DisposeAsync();
            await Api.DisposeAsync();
            await WebA.DisposeAsync();
            await WebB.DisposeAsync();
        }

        /// <summary>The backend that answered <paramref name="path"/>, or the status when none did.</summary>
        public async Task<string> BackendAsync(string path, string? apiKey = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
            using var r = await Gateway.Client.SendAsync(request);
            return r.StatusCode == HttpStatusCode.OK ? (await EchoResponse.ReadAsync(r)).Backend : $"status {(int)r.StatusCode}";
        }
    }

    private async Task<Teams> StartAsync()
    {
        var webA = await TestBackend.StartAsync("web-of-team-a");
        var webB = await TestBackend.StartAsync("web-of-team-b");
        var api = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = api.AdminClient();
        await admin.CreateNamespaceAsync("team-a");
        await admin.CreateNamespaceAsync("team-b");
        var registry = await RegistryStack.StartAsync(kafka.BootstrapServers, kafka.CreateTopic("registry"));
        await registry.RegisterServiceInstanceAsync(new ServiceApplication("web", "team-a"), "web-1", webA.Port);
        await registry.RegisterServiceInstanceAsync(new ServiceApplication("web", "team-b"), "web-1", webB.Port);
        var gateway = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:Discovery:EurekaUrl"] = registry.EurekaUrl,
            ["Gateway:RegistryTopic"] = registry.Topic,
            ["Gateway:RoutesTopic"] = api.Topic(ResourceKinds.Route),
            ["Gateway:Routes:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = api.AdminToken,
            ["Gateway:Auth:ApiKeySecrets:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Gateway:Auth:ApiKeySecrets:Topic"] = api.Topic(ResourceKinds.Secret),
        });
        return new Teams
        {
            Api = api, Registry = registry, Gateway = gateway, WebA = webA, WebB = webB,
            EditorA = api.Client(await EditorTokenAsync(admin, "team-a")),
            EditorB = api.Client(await EditorTokenAsync(admin, "team-b")),
        };
    }

    private static async Task<string> EditorTokenAsync(HttpClient admin, string ns)
    {
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = ns + "-editor", role = "editor", @namespace = ns })
            .ExpectAsync(201);
        return (string)created["token"]!;
    }

    private static JsonObject Route(string ns, string name, string uri, string path, string? specId = null, params string[] filters)
    {
        var spec = new JsonObject { ["uri"] = uri, ["predicates"] = new JsonArray($"Path={path}"), ["filters"] = new JsonArray(filters.Select(f => (JsonNode)f).ToArray()) };
        if (specId is not null) spec["id"] = specId;
        return new JsonObject
        {
            ["apiVersion"] = "gateway.platform.io/v1", ["kind"] = "Route",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
    }

    private static Task<JsonObject> ApplyAsync(HttpClient editor, JsonObject route) =>
        editor.PostAsync(ResourceKinds.Route.CollectionPath((string)route["metadata"]!["namespace"]!), Http.Json(route)).ExpectAsync(201);

    [Fact]
    public async Task TwoTeams_EachRouteReachesOnlyItsOwnWeb_AndTheOtherTeamsSameIdAndPathChangeNothing()
    {
        await using var teams = await StartAsync();
        // Both teams name their route and their Service 'web', and both spell the route id 'web'.
        await ApplyAsync(teams.EditorA, Route("team-a", "web", "lb://web", "/shop/**", specId: "web"));
        await ApplyAsync(teams.EditorB, Route("team-b", "web", "lb://web", "/blog/**", specId: "web"));
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/shop/x") == "web-of-team-a" && await teams.BackendAsync("/blog/x") == "web-of-team-b",
            TimeSpan.FromSeconds(30), "each team's route to its own web");
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("web-of-team-a", await teams.BackendAsync("/shop/x"));
            Assert.Equal("web-of-team-b", await teams.BackendAsync("/blog/x"));
        }

        // team-b claims team-a's path, under team-a's route id, with its own route created later.
        await ApplyAsync(teams.EditorB, Route("team-b", "takeover", "lb://web", "/shop/**", specId: "web"));
        var conflict = await Eventually.WaitAsync(() => Task.FromResult(teams.Gateway.Runtime.Conflicts.FirstOrDefault(c => c.RouteId == "team-b/takeover")),
            TimeSpan.FromSeconds(30), "the takeover to be held as a conflict");
        Assert.Equal("team-a/web", conflict.HeldBy);
        Assert.Contains(teams.Gateway.Logs.Lines, l => l.Contains("Route team-b/takeover not served", StringComparison.Ordinal));
        using (var listed = new HttpRequestMessage(HttpMethod.Get, "/actuator/gateway/conflicts"))
        {
            listed.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
            using var r = await teams.Gateway.Client.SendAsync(listed);
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray();
            Assert.Equal("team-a/web", (string?)Assert.Single(body)!["held_by"]);
        }
        for (var i = 0; i < 6; i++) Assert.Equal("web-of-team-a", await teams.BackendAsync("/shop/x"));
        Assert.Equal(["team-a/web", "team-b/web"], teams.Gateway.Runtime.Current.Routes.Select(r => r.Id).Order());

        // A sub-path of team-a's claim is team-a's too; deleting team-b's routes removes none of team-a's.
        await ApplyAsync(teams.EditorB, Route("team-b", "under", "lb://web", "/shop/admin/**"));
        await Eventually.WaitAsync(() => Task.FromResult(teams.Gateway.Runtime.Conflicts.Any(c => c.RouteId == "team-b/under")), TimeSpan.FromSeconds(30), "the sub-path held");
        Assert.Equal("web-of-team-a", await teams.BackendAsync("/shop/admin/x"));
        await teams.EditorB.DeleteAsync(ResourceKinds.Route.ObjectPath("team-b", "takeover")).ExpectAsync(200);
        await teams.EditorB.DeleteAsync(ResourceKinds.Route.ObjectPath("team-b", "web")).ExpectAsync(200);
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/blog/x") == "status 404", TimeSpan.FromSeconds(30), "team-b's route gone");
        Assert.Equal("web-of-team-a", await teams.BackendAsync("/shop/x"));

        // team-a changes its route's spec.id: still one route (namespace/name), nothing left behind under the old id.
        var renamed = Route("team-a", "web", "lb://web", "/shop/**", "renamed", "AddRequestHeader=X-Version, 2");
        var stored = await teams.EditorA.GetAsync(ResourceKinds.Route.ObjectPath("team-a", "web")).ExpectAsync(200);
        renamed["metadata"]!["resourceVersion"] = (string)stored["metadata"]!["resourceVersion"]!;
        await teams.EditorA.PutAsync(ResourceKinds.Route.ObjectPath("team-a", "web"), Http.Json(renamed)).ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await EchoResponse.ReadAsync(await teams.Gateway.Client.GetAsync("/shop/x"))).Header("X-Version") == "2",
            TimeSpan.FromSeconds(30), "the updated route");
        Assert.Equal(["team-a/web"], teams.Gateway.Runtime.Current.Routes.Select(r => r.Id));
    }

    [Fact]
    public async Task TwoTeams_TeamAsApiKey_IsRefusedOnTeamBsRoute()
    {
        await using var teams = await StartAsync();
        await ApplyAsync(teams.EditorA, Route("team-a", "web", "lb://web", "/shop/**", filters: ["ApiKey"]));
        await ApplyAsync(teams.EditorB, Route("team-b", "web", "lb://web", "/blog/**", filters: ["ApiKey"]));
        // team-a's editor mints a key: a labelled Secret in team-a holding only its hash.
        await teams.EditorA.PostAsJsonAsync(ResourceKinds.Secret.CollectionPath("team-a"), new
        {
            apiVersion = "v1", kind = "Secret",
            metadata = new { name = "shop-key", labels = new Dictionary<string, string> { ["gateway.platform.io/api-key"] = "true" } },
            stringData = new { sha256 = ApiKeyStore.Hash("team-a-key-1") },
        }).ExpectAsync(201);

        await Eventually.WaitAsync(async () => await teams.BackendAsync("/shop/x", "team-a-key-1") == "web-of-team-a", TimeSpan.FromSeconds(30), "team-a's key on team-a's route");
        // team-b's route may reach the gateway's proxy after team-a's: until it does, /blog is a 404 that proves nothing.
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/blog/x") != "status 404", TimeSpan.FromSeconds(30), "team-b's route served");
        Assert.Equal("status 401", await teams.BackendAsync("/blog/x", "team-a-key-1"));
        Assert.Equal("status 401", await teams.BackendAsync("/blog/x"));
        Assert.Equal(0, teams.WebB.Hits);
    }

    [Fact]
    public async Task CrossNamespaceLb_ReachesAnotherTeamsWeb_OnlyOnceItsServiceAllowsTheNamespace()
    {
        await using var teams = await StartAsync();
        await ApplyAsync(teams.EditorA, Route("team-a", "web", "lb://web", "/shop/**"));
        // A bare name never leaves the namespace: team-b has no Service 'orders', and team-a's does not count.
        await teams.Registry.RegisterServiceInstanceAsync(new ServiceApplication("orders", "team-a"), "orders-1", teams.WebA.Port);
        await ApplyAsync(teams.EditorB, Route("team-b", "orders", "lb://orders", "/orders/**"));
        // An explicit NAME.NAMESPACE reaches team-a's web only with team-a's grant.
        await ApplyAsync(teams.EditorB, Route("team-b", "borrowed", "lb://web.team-a", "/borrowed/**"));
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/shop/x") == "web-of-team-a", TimeSpan.FromSeconds(30), "team-a's route");
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/borrowed/x") != "status 404" && await teams.BackendAsync("/orders/x") != "status 404",
            TimeSpan.FromSeconds(30), "team-b's routes");
        var shopHits = teams.WebA.Hits;
        Assert.Equal("status 503", await teams.BackendAsync("/borrowed/x"));
        Assert.Equal("status 503", await teams.BackendAsync("/orders/x"));
        Assert.Equal(shopHits, teams.WebA.Hits);

        // team-a's Service allows team-b's Routes: its annotation gateway.platform.io/allow-routes-from, carried as metadata.
        await teams.Registry.RegisterServiceInstanceAsync(new ServiceApplication("web", "team-a"), "web-1", teams.WebA.Port, allowRoutesFrom: "team-b");
        await Eventually.WaitAsync(async () => await teams.BackendAsync("/borrowed/x") == "web-of-team-a", TimeSpan.FromSeconds(30), "the granted route");
        Assert.Equal("status 503", await teams.BackendAsync("/orders/x"));
    }
}
