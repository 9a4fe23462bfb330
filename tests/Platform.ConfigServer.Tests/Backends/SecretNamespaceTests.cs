using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Platform.ConfigServer.Tests.Support;
using Platform.EventBus.Consuming;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ConfigServer.Tests.Backends;

/// <summary>
/// Secrets per namespace, through a real apiserver: the config server's own identity is a viewer bound to the default
/// ClusterRoles <c>system:platform:config-server</c> and <c>system:auth-delegator</c>; a caller gets a Secret only when
/// a SubjectAccessReview lets it <c>get</c> that Secret, another team's namespace is 403, and no Secret value ever
/// reaches a log line.
/// </summary>
public sealed class SecretNamespaceTests(PostgresFixture pg, KafkaFixture kafka) : IClassFixture<PostgresFixture>, IClassFixture<KafkaFixture>
{
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];
    private static readonly string TeamAPassword = "team-a-pw-" + Run;
    private static readonly string TeamAPasswordRotated = "team-a-rotated-" + Run;
    private static readonly string TeamAShared = "team-a-shared-" + Run;
    private static readonly string TeamBPassword = "team-b-pw-" + Run;
    private static readonly string DefaultPassword = "default-pw-" + Run;
    private static readonly string Unparsable = "unparsable-" + Run;

    [Fact]
    public async Task TeamA_ReadsItsOwnSecrets_TeamB_IsRefused_RotationIsServed_AndNoValueIsLogged()
    {
        await using var cluster = await ConfigMapCluster.StartAsync(pg, kafka);
        var admin = cluster.Admin;
        kafka.EnsureTopic(cluster.SecretTopic + ".dlq", 1);
        await cluster.ApplyAsync("orders", "orders", null, new() { ["orders.owner"] = "team-a" }, ns: "team-a");
        await cluster.ApplyAsync("orders", "orders", null, new() { ["orders.owner"] = "team-b" }, ns: "team-b");
        // Found by name, as Spring Cloud Kubernetes finds them: `orders` for orders, `application` for every application.
        await cluster.ApplySecretAsync("orders", new() { ["db.password"] = TeamAPassword, ["application.yml"] = "db:\n  user: alice\n" }, ns: "team-a");
        await cluster.ApplySecretAsync("application", new() { ["shared.token"] = TeamAShared }, ns: "team-a");
        await cluster.ApplySecretAsync("orders", new() { ["db.password"] = TeamBPassword }, ns: "team-b");
        await cluster.ApplySecretAsync("orders", new() { ["db.password"] = DefaultPassword });

        // team-a's app may read its ConfigMaps and its own Secret by name (not the namespace's other Secrets); another
        // workload of team-a may view the namespace, which leaves Secrets out.
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/roles", Http.Json("""
            {"metadata":{"name":"orders-config"},"rules":[
              {"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]},
              {"apiGroups":[""],"resources":["secrets"],"verbs":["get"],"resourceNames":["orders"]}]}
            """)).ExpectAsync(201);
        var ordersToken = await ServiceAccountTokenAsync(admin, "orders", "Role", "orders-config");
        var readerToken = await ServiceAccountTokenAsync(admin, "reader", "ClusterRole", "view");

        // The config server's identity: a viewer bound to the ClusterRoles the apiserver bootstraps for it.
        var own = (string)(await admin.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json("""{"name":"config-server","role":"viewer"}""")).ExpectAsync(201))["token"]!;
        foreach (var role in new[] { "system:platform:config-server", "system:auth-delegator" })
            await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Http.Json($$"""
                {"metadata":{"name":"config-server-{{role.Replace(':', '-')}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"{{role}}"},
                 "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"config-server"}]}
                """)).ExpectAsync(201);

        var settings = cluster.ConfigServerSettings(kafka);
        settings["ConfigServer:ConfigMaps:Token"] = own;
        settings["ConfigServer:Secrets:Enabled"] = "true";
        settings["ConfigServer:Secrets:Topic"] = cluster.SecretTopic;
        var logs = new CapturingLoggerProvider();
        await using var host = await ConfigServerHost.StartAsync(settings, logs: logs);
        using var basic = host.CreateClient();
        await Eventually.WaitAsync(async () => (await basic.GetAsync("/readyz")).IsSuccessStatusCode, TimeSpan.FromSeconds(30),
            "ConfigMaps and Secrets listed with the config server's own token");

        using var orders = host.CreateBearerClient(ordersToken);
        var env = await Eventually.WaitAsync(async () =>
        {
            using var r = await orders.GetAsync("/orders/default");
            return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
        }, TimeSpan.FromSeconds(15), "the RoleBinding reaches the apiserver's authorizer");
        // ConfigMaps before Secrets at one level; `application` is withheld: the Role names only `orders`.
        Assert.Equal(["configmap:team-a/orders", "secret:team-a/orders"], EnvironmentRequests.SourceNames(env));
        Assert.Equal(TeamAPassword, EnvironmentRequests.Property(env, "db.password"));
        Assert.Equal("alice", EnvironmentRequests.Property(env, "db.user"));
        Assert.DoesNotContain(TeamAShared, env, StringComparison.Ordinal);

        // Another team's namespace is refused before anything is read.
        var refused = await orders.SendAsync("/orders/default", "team-b", HttpStatusCode.Forbidden);
        Assert.DoesNotContain(TeamBPassword, refused, StringComparison.Ordinal);
        Assert.DoesNotContain(TeamBPassword, await orders.SendAsync("/orders-default.yml", "team-b", HttpStatusCode.Forbidden), StringComparison.Ordinal);

        // Allowed ConfigMaps but not Secrets: the ConfigMaps, without any Secret.
        using var reader = host.CreateBearerClient(readerToken);
        var viewed = await reader.SendAsync("/orders/default", null, HttpStatusCode.OK);
        Assert.Equal(["configmap:team-a/orders"], EnvironmentRequests.SourceNames(viewed));
        Assert.DoesNotContain(TeamAPassword, await reader.SendAsync("/orders-default.properties", null, HttpStatusCode.OK), StringComparison.Ordinal);

        // Static credentials are the operator's: the default namespace's Secrets, and no other namespace.
        Assert.Equal(DefaultPassword, EnvironmentRequests.Property(await basic.GetStringAsync("/orders/default"), "db.password"));
        await basic.SendAsync("/orders/default", "team-a", HttpStatusCode.Forbidden);

        // A rotated Secret reaches the next request (its event carries no data: the server reads it again).
        await cluster.ApplySecretAsync("orders", new() { ["db.password"] = TeamAPasswordRotated, ["application.yml"] = "db:\n  user: alice\n" }, ns: "team-a");
        await Eventually.WaitAsync(async () => EnvironmentRequests.Property(await orders.SendAsync("/orders/default", null, HttpStatusCode.OK), "db.password") == TeamAPasswordRotated,
            TimeSpan.FromSeconds(30), "the rotated password served");

        // A Secret whose document cannot be parsed is refused by name; the parser's quote of it goes nowhere.
        await cluster.ApplySecretAsync("orders-dev", new() { ["application.properties"] = $"db.password={Unparsable}\\uZZZZ" }, ns: "team-a");
        var dead = Assert.Single(kafka.ConsumeMany(cluster.SecretTopic + ".dlq", 1, TimeSpan.FromSeconds(30)));
        var reason = Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(EventConsumerService.ErrorHeader));
        Assert.Contains("secret team-a/orders-dev data.application.properties: not a valid properties document", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("secret:team-a/orders-dev", await orders.SendAsync("/orders/dev", null, HttpStatusCode.OK), StringComparison.Ordinal);

        Assert.Contains(logs.Messages, m => m.Contains("secrets/team-a/orders-dev", StringComparison.Ordinal) && m.Contains("not served: unreadable", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.Contains("secret team-a/application left out", StringComparison.Ordinal));
        foreach (var value in new[] { TeamAPassword, TeamAPasswordRotated, TeamAShared, TeamBPassword, DefaultPassword, Unparsable })
            Assert.DoesNotContain(logs.Messages, m => m.Contains(value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_SecretsWithoutConfigMaps_FailsNamingTheKeys()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Native:Enabled"] = "true",
            ["ConfigServer:Native:SearchLocations:0"] = Path.GetTempPath(),
            ["ConfigServer:Secrets:Enabled"] = "true",
        }));
        Assert.Contains("ConfigServer:Secrets:Enabled: requires ConfigServer:ConfigMaps:Enabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SecretsWithSecurityOff_FailsNamingTheKeys()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConfigServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConfigServer:Security:Enabled"] = "false",
            ["ConfigServer:ConfigMaps:Enabled"] = "true",
            ["ConfigServer:ConfigMaps:Token"] = "unused",
            ["Kafka:BootstrapServers"] = "127.0.0.1:9",
            ["ConfigServer:Secrets:Enabled"] = "true",
            ["ConfigServer:Secrets:Topic"] = "",
        }));
        var message = ex.Message + ex.InnerException?.Message;
        Assert.Contains("ConfigServer:Secrets:Enabled: requires ConfigServer:Security:Enabled", message, StringComparison.Ordinal);
        Assert.Contains("ConfigServer:Secrets:Topic: required", message, StringComparison.Ordinal);
    }

    /// <summary>A ServiceAccount of team-a bound to <paramref name="roleKind"/> <paramref name="role"/>, and a token for it.</summary>
    private static async Task<string> ServiceAccountTokenAsync(HttpClient admin, string name, string roleKind, string role)
    {
        await admin.PostAsync("/api/v1/namespaces/team-a/serviceaccounts", Http.Json(new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } })).ExpectAsync(201);
        await admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings", Http.Json($$"""
            {"metadata":{"name":"{{name}}-config"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{roleKind}}","name":"{{role}}"},
             "subjects":[{"kind":"ServiceAccount","name":"{{name}}"}]}
            """)).ExpectAsync(201);
        return (string)(await admin.PostAsync($"/api/v1/namespaces/team-a/serviceaccounts/{name}/token", Http.Json("{}")).ExpectAsync(201))["status"]!["token"]!;
    }
}
