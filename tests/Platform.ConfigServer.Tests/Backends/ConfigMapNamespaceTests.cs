using System.Net;
using System.Text.Json.Nodes;
using Platform.ConfigServer.Tests.Support;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ConfigServer.Tests.Backends;

/// <summary>
/// Config per namespace: each team's ConfigMaps go only to callers the apiserver says may read that namespace — a
/// ServiceAccount token reads its own namespace, another namespace is 403 — while the config server's own identity is a
/// viewer with <c>system:auth-delegator</c>, nothing more.
/// </summary>
public sealed class ConfigMapNamespaceTests(PostgresFixture pg, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    [Fact]
    public async Task TeamA_ReadsItsOwnConfigMaps_Gets403ForTeamB_StaticCredentialsStayInDefault()
    {
        await using var cluster = await ConfigMapCluster.StartAsync(pg, kafka);
        var admin = cluster.Admin;
        await cluster.ApplyAsync("orders", "orders", null, new() { ["orders.owner"] = "team-a" }, ns: "team-a");
        await cluster.ApplyAsync("orders", "orders", null, new() { ["orders.owner"] = "team-b" }, ns: "team-b");
        await cluster.ApplyAsync("orders", "orders", null, new() { ["orders.owner"] = "default" });

        // team-a's app runs as a ServiceAccount that may view its namespace.
        await admin.PostAsync("/api/v1/namespaces/team-a/serviceaccounts", Http.Json("""{"metadata":{"name":"orders"}}""")).ExpectAsync(201);
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", Http.Json("""
            {"metadata":{"name":"orders-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"ServiceAccount","name":"orders"}]}
            """)).ExpectAsync(201);
        var appToken = (string)(await admin.PostAsync("/api/v1/namespaces/team-a/serviceaccounts/orders/token", Http.Json("{}")).ExpectAsync(201))["status"]!["token"]!;

        // The config server's identity: a cluster-wide viewer that may review tokens and access.
        var own = (string)(await admin.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json("""{"name":"config-server","role":"viewer"}""")).ExpectAsync(201))["token"]!;
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Http.Json("""
            {"metadata":{"name":"config-server-delegator"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:auth-delegator"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"config-server"}]}
            """)).ExpectAsync(201);
        var settings = cluster.ConfigServerSettings(kafka);
        settings["ConfigServer:ConfigMaps:Token"] = own;
        await using var host = await ConfigServerHost.StartAsync(settings);
        using var basic = host.CreateClient();
        await Eventually.WaitAsync(async () => (await basic.GetStringAsync("/orders/default")).Contains("configmap:default/orders", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the ConfigMaps are listed");

        using var app = host.CreateBearerClient(appToken);
        static string? Owner(string json) => EnvironmentRequests.Property(json, "orders.owner");

        // Its own namespace by default, and by name.
        Assert.Equal("team-a", Owner(await Eventually.WaitAsync(async () =>
        {
            using var r = await app.GetAsync("/orders/default");
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(15), "the RoleBinding reaches the apiserver's authorizer")));
        Assert.Equal("team-a", Owner(await app.SendAsync("/orders/default", "team-a", HttpStatusCode.OK)));
        // Another team's namespace, and the default one, are refused.
        var refused = await app.SendAsync("/orders/default", "team-b", HttpStatusCode.Forbidden);
        Assert.Equal("User \"system:serviceaccount:team-a:orders\" cannot get configmaps in the namespace \"team-b\"", (string?)JsonNode.Parse(refused)!["detail"]);
        await app.SendAsync("/orders-default.yml", "team-b", HttpStatusCode.Forbidden);
        await app.SendAsync("/orders/default", "default", HttpStatusCode.Forbidden);
        await app.SendAsync("/orders/default", "../etc", HttpStatusCode.BadRequest);

        // Static credentials are the operator's: the default namespace only.
        Assert.Equal("default", Owner(await basic.GetStringAsync("/orders/default")));
        await basic.SendAsync("/orders/default", "team-a", HttpStatusCode.Forbidden);

        // An unknown bearer token is 401; a deleted ServiceAccount's token stops working.
        using var stranger = host.CreateBearerClient("plt_unknown");
        await stranger.SendAsync("/orders/default", null, HttpStatusCode.Unauthorized);
        await admin.DeleteAsync("/api/v1/namespaces/team-a/serviceaccounts/orders").ExpectAsync(200);
        await Eventually.WaitAsync(async () => (await app.GetAsync("/orders/default")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(30), "the revoked token is refused once the review cache expires");
    }
}
