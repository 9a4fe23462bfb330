using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Contracts.Events;
using Platform.Contracts.Resources;
using Platform.EventBus.Consuming;
using Platform.Gateway.Configuration;
using Platform.Gateway.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;
using RouteResource = Platform.Contracts.Resources.Route;

namespace Platform.Gateway.Tests.Configuration;

/// <summary>Route resources written through a real apiserver, which the gateway lists and then follows on <c>platform.routes</c>.</summary>
[Collection(KafkaCollection.Name)]
public sealed partial class RouteResourceTests(KafkaFixture kafka, PostgresFixture pg) : IClassFixture<PostgresFixture>
{
    private static JsonObject Route(string name, string uri, string header) => new()
    {
        ["apiVersion"] = "gateway.platform.io/v1",
        ["kind"] = "Route",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "team-a" },
        ["spec"] = new JsonObject
        {
            ["uri"] = uri,
            ["predicates"] = new JsonArray($"Path=/{name}/**"),
            ["filters"] = new JsonArray(new JsonObject { ["name"] = "AddRequestHeader", ["args"] = new JsonObject { ["name"] = "X-Version", ["value"] = header } }),
        },
    };

    /// <summary>An apiserver with namespace <c>team-a</c>, and a gateway listing and following its Routes.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        public required ApiServerHost Api { get; init; }
        public required HttpClient Admin { get; init; }
        public required GatewayHost Gateway { get; init; }

        public string Topic => Api.Topic(ResourceKinds.Route);

        /// <summary>Creates or replaces a Route in <c>team-a</c>; returns it as stored.</summary>
        public async Task<JsonObject> ApplyAsync(JsonObject route)
        {
            var name = (string)route["metadata"]!["name"]!;
            using var existing = await Admin.GetAsync(ResourceKinds.Route.ObjectPath("team-a", name));
            using var r = existing.IsSuccessStatusCode
                ? await Admin.PutAsync(ResourceKinds.Route.ObjectPath("team-a", name), Http.Json(route))
                : await Admin.PostAsync(ResourceKinds.Route.CollectionPath("team-a"), Http.Json(route));
            Assert.True(r.IsSuccessStatusCode, $"{name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            return await r.ReadObjectAsync();
        }

        public async Task DeleteAsync(string name)
        {
            using var r = await Admin.DeleteAsync(ResourceKinds.Route.ObjectPath("team-a", name));
            Assert.True(r.IsSuccessStatusCode, $"{name}: {(int)r.StatusCode}");
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            Admin.Dispose();
            await Api.DisposeAsync();
        }
    }

    private async Task<Cluster> StartAsync(string routesFile = "spring:\n  cloud:\n    gateway:\n      routes: []\n")
    {
        var api = await ApiServerHost.StartAsync(pg, kafka);
        var admin = api.AdminClient();
        await admin.CreateNamespaceAsync("team-a");
        var gw = await GatewayHost.StartAsync(routesFile, new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:JsonToGrpc:DescriptorDirectory"] = Path.GetDirectoryName(Filters.Grpc.JsonToGrpcTests.Proto("hello.pb")),
            ["Gateway:RoutesTopic"] = api.Topic(ResourceKinds.Route),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = api.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = api.AdminToken,
        });
        return new Cluster { Api = api, Admin = admin, Gateway = gw };
    }

    [Fact]
    public async Task Readiness_WaitsForTheFirstListOfRoutes()
    {
        // An apiserver that does not answer yet: the gateway waits WarmupTimeout for it, then listens with what it has,
        // but must not take traffic without its routes.
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var early = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Gateway:Routes:ApiServerUrl"] = $"http://127.0.0.1:{Network.FreeTcpPort()}",
            ["Gateway:Routes:Token"] = "nobody",
            ["Gateway:WarmupTimeout"] = "00:00:01",
        });
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1), "the listener was held for the warm-up");
        Assert.Contains(early.Logs.Lines, l => l.StartsWith("not ready after 1 s", StringComparison.Ordinal) && l.Contains("gateway-resources"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await early.Client.GetAsync("/readyz")).StatusCode);

        await using var cluster = await StartAsync();
        await Eventually.WaitAsync(async () => (await cluster.Gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(20), "ready once the routes are listed");
    }

    [Fact]
    public async Task Warmup_AGatewayStartedBesideExistingRoutes_ServesThemFromItsFirstRequest()
    {
        // Listener warming: the port opens only after the Routes are listed, so the very first request is routed
        // (without it, a request right after start could see an empty snapshot and answer 404).
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync();
        await cluster.ApplyAsync(Route("warm", backend.Url, "v1"));
        await using var second = await GatewayHost.StartAsync("spring:\n  cloud:\n    gateway:\n      routes: []\n", new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Gateway:RoutesTopic"] = cluster.Api.Topic(ResourceKinds.Route),
            ["Gateway:RegistryTopic"] = kafka.CreateTopic("registry"),
            ["Gateway:Routes:ApiServerUrl"] = cluster.Api.BaseAddress.ToString(),
            ["Gateway:Routes:Token"] = cluster.Api.AdminToken,
        });
        using var first = await second.Client.GetAsync("/warm/x");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("v1", (await EchoResponse.ReadAsync(first)).Header("X-Version"));
        Assert.Contains(second.Logs.Lines, l => l.StartsWith("ready after ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteResource_CreatedUpdatedDeleted_ServesWithoutRestartThen404()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync();
        var gw = cluster.Gateway;
        using var events = new EventProducer(kafka.BootstrapServers);

        var v1 = await cluster.ApplyAsync(Route("orders", backend.Url, "v1"));
        var echo = await Eventually.WaitAsync(async () =>
        {
            using var r = await gw.Client.GetAsync("/orders/list");
            return r.StatusCode == HttpStatusCode.OK ? await EchoResponse.ReadAsync(r) : null;
        }, TimeSpan.FromSeconds(20), "the created route to serve");
        Assert.Equal("v1", echo.Header("X-Version"));
        Assert.Contains(gw.Runtime.Current.Routes, r => r.Id == "team-a/orders" && r.Definition.Source == "resource");

        var v3 = await cluster.ApplyAsync(Route("orders", backend.Url, "v3"));
        await Eventually.WaitAsync(async () => (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/orders/list"))).Header("X-Version") == "v3",
            TimeSpan.FromSeconds(10), "the updated route");
        // A late, older version (a replay on the topic) must not roll the route back.
        var type = (string action) => EventTypes.For("route", action);
        var topic = cluster.Topic;
        await events.PublishResourceAsync(topic, type("updated"), "team-a/orders", v1, (string)v1["metadata"]!["resourceVersion"]!);
        // The stale event precedes the marker on the same partition; once the marker route is live, it has been processed.
        var marker = Route("marker", backend.Url, "m");
        marker["metadata"]!["resourceVersion"] = (string)v3["metadata"]!["resourceVersion"]!;
        await events.PublishResourceAsync(topic, type("created"), "team-a/orders", marker, (string)v3["metadata"]!["resourceVersion"]!);
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/marker/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "marker route");
        Assert.Equal("v3", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/orders/list"))).Header("X-Version"));

        await cluster.DeleteAsync("orders");
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/orders/list")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(10), "the deleted route to answer 404");
    }

    [Fact]
    public async Task RouteResource_UnknownFilter_IsRefusedAtApply_NamingRouteAndFilter_PreviousVersionKeepsServing()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync();
        var gw = cluster.Gateway;
        await cluster.ApplyAsync(Route("pay", backend.Url, "good"));
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/pay/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "pay route");

        // The apiserver checks filters against the gateway's own schemas: 422 naming the route, the filter and the field.
        var bad = Route("pay", backend.Url, "bad");
        bad["spec"]!["filters"] = new JsonArray("NoSuchFilter=1");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => cluster.ApplyAsync(bad));
        Assert.Contains("422", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Route \\\"pay\\\" is invalid: spec.filters[0].name: filter NoSuchFilter: unknown filter 'NoSuchFilter'", refused.Message, StringComparison.Ordinal);

        Assert.Equal("good", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/pay/x"))).Header("X-Version"));
    }

    [Fact]
    public async Task RouteStatus_LbWithoutInstancesIsResolvedRefsFalse_ThenAServedBackendIsTrue_ForEachGeneration()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync();

        await cluster.ApplyAsync(Route("orphan", "lb://missing", "v1"));
        var status = await StatusWhenAsync(cluster, "orphan", s => Condition(s, "ResolvedRefs")?["status"]?.GetValue<string>() == "False");
        Assert.Equal("BackendNotFound", (string?)Condition(status, "ResolvedRefs")!["reason"]);
        Assert.Contains("missing", (string?)Condition(status, "ResolvedRefs")!["message"], StringComparison.Ordinal);
        Assert.Equal(("True", "Accepted"), ((string?)Condition(status, "Accepted")!["status"], (string?)Condition(status, "Accepted")!["reason"]));
        Assert.Equal("True", (string?)Condition(status, "Programmed")!["status"]);
        Assert.Equal(1, (long?)status["observedGeneration"]);
        Assert.Equal(1, (long?)Condition(status, "ResolvedRefs")!["observedGeneration"]);
        Assert.Empty(status["instances"]!.AsArray());

        var fixedRoute = Route("orphan", backend.Url, "v2");
        await cluster.ApplyAsync(fixedRoute);
        status = await StatusWhenAsync(cluster, "orphan", s => (long?)s["observedGeneration"] == 2 && Condition(s, "ResolvedRefs")?["status"]?.GetValue<string>() == "True");
        Assert.Equal([backend.Url], status["instances"]!.AsArray().Select(i => (string)i!));
        Assert.Equal("True", (string?)Condition(status, "Programmed")!["status"]);

        // Written once per change: the status read back is not written again (no write loop through the informer).
        var settled = await ResourceVersionAsync(cluster, "orphan");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(settled, await ResourceVersionAsync(cluster, "orphan"));

        // A status computed from an older version (an informer that has not yet seen the writer's own last write, whose
        // conditions' transition times it derives from) is refused, not written over the newer one.
        var api = new Platform.ApiServer.Client.ApiClient(cluster.Admin);
        var read = (await api.GetAsync<RouteResource>(ResourceKinds.Route.ObjectPath("team-a", "orphan"), CancellationToken.None))!;
        using (var touched = await cluster.Admin.PatchAsync(ResourceKinds.Route.ObjectPath("team-a", "orphan"),
            new StringContent("""{"metadata":{"labels":{"touched":"yes"}}}""", Encoding.UTF8, "application/merge-patch+json")))
            Assert.True(touched.IsSuccessStatusCode);
        var staleStatus = System.Text.Json.JsonSerializer.SerializeToNode(read.Status! with { Instances = [] }, ResourceJson.Options)!;
        var stale = await Assert.ThrowsAsync<Platform.ApiServer.Client.ApiException>(() => api.PatchStatusAsync(ResourceKinds.Route, read, staleStatus, CancellationToken.None));
        Assert.True(stale.IsConflict, stale.Message);
        var current = (await api.GetAsync<RouteResource>(ResourceKinds.Route.ObjectPath("team-a", "orphan"), CancellationToken.None))!;
        Assert.Equal(new[] { backend.Url }, current.Status!.Instances!);
        Assert.True(await api.PatchStatusAsync(ResourceKinds.Route, current, staleStatus.DeepClone(), CancellationToken.None));
    }

    private static async Task<string?> ResourceVersionAsync(Cluster cluster, string name)
    {
        using var r = await cluster.Admin.GetAsync(ResourceKinds.Route.ObjectPath("team-a", name));
        return (string?)(await r.ReadObjectAsync())["metadata"]!["resourceVersion"];
    }

    private static JsonObject? Condition(JsonObject status, string type) =>
        status["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    private static async Task<JsonObject> StatusWhenAsync(Cluster cluster, string name, Func<JsonObject, bool> done) =>
        await Eventually.WaitAsync(async () =>
        {
            using var r = await cluster.Admin.GetAsync(ResourceKinds.Route.ObjectPath("team-a", name));
            var route = await r.ReadObjectAsync();
            return route["status"] is JsonObject s && done(s) ? s : null;
        }, TimeSpan.FromSeconds(20), $"the status of Route {name}");

    [Fact]
    public async Task RouteEvent_TheApiServerWouldRefuse_IsDeadLetteredByItsSchema_AndTheGatewaysOwnRoutesKeepServing()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync($$"""
            spring:
              cloud:
                gateway:
                  routes:
                    - id: operator
                      uri: {{backend.Url}}
                      predicates: [ "Path=/shared/**" ]
                      filters: [ "AddRequestHeader=X-Version, operator" ]
            """);
        var gw = cluster.Gateway;
        // Forged on the topic: a negative order, which the apiserver refuses as a write, to jump ahead of the operator's
        // route. The informer checks the event against the same schema and dead-letters it; a valid one after it serves.
        var early = Route("early", backend.Url, "team");
        early["spec"]!["order"] = -1000;
        early["spec"]!["predicates"] = new JsonArray("Path=/shared/**");
        early["metadata"]!["resourceVersion"] = "999998";
        using var events = new EventProducer(kafka.BootstrapServers);
        await events.PublishResourceAsync(cluster.Topic, EventTypes.For("route", "created"), "team-a/early", early, "999998");
        var later = Route("later", backend.Url, "team");
        later["metadata"]!["resourceVersion"] = "999999";
        await events.PublishResourceAsync(cluster.Topic, EventTypes.For("route", "created"), "team-a/later", later, "999999");
        await Eventually.WaitAsync(() => Task.FromResult(gw.Runtime.Current.Find("team-a/later")), TimeSpan.FromSeconds(20), "the valid route after the forged one");

        Assert.Null(gw.Runtime.Current.Find("team-a/early"));
        Assert.Equal("operator", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/shared/x"))).Header("X-Version"));
    }

    [Fact]
    public async Task AdminApi_NeitherReplacesNorDeletesARouteResource()
    {
        await using var backend = await TestBackend.StartAsync();
        await using var cluster = await StartAsync();
        var gw = cluster.Gateway;
        await cluster.ApplyAsync(Route("owned", backend.Url, "resource"));
        await Eventually.WaitAsync(async () => (await gw.Client.GetAsync("/owned/x")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20), "the Route resource");

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/actuator/gateway/routes/team-a/owned");
        delete.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
        using var deleted = await gw.Client.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
        Assert.Contains("comes from a Route resource", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/actuator/gateway/routes/team-a/owned")
        {
            Content = new StringContent($$"""{"uri":"{{backend.Url}}","predicates":["Path=/owned/**"],"filters":["AddRequestHeader=X-Version, admin"]}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = delete.Headers.Authorization;
        using var posted = await gw.Client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Conflict, posted.StatusCode);

        Assert.Equal("resource", (await EchoResponse.ReadAsync(await gw.Client.GetAsync("/owned/x"))).Header("X-Version"));
        Assert.Equal(RouteSources.Resource, gw.Runtime.Current.Find("team-a/owned")!.Definition.Source);
    }
}
