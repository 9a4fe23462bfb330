using System.Net;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>
/// Two teams on one apiserver, each with an editor ServiceAccount bound to <c>edit</c> in its namespace: every
/// cross-team move the multi-tenancy issue lists is refused (403 or 422), and team-a's objects are left as they were.
/// The gateway side (routes, <c>lb://</c>, API keys) is Platform.Gateway.Tests' TwoTeamTests.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class TwoTeamIsolationTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task TeamB_CannotReachIntoTeamA_NorForgeStatus_NorEscapeTheNode_NorEscalate()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var a = await admin.CreateNamespaceAsync("team-a-" + Guid.NewGuid().ToString("N")[..6]);
        var b = await admin.CreateNamespaceAsync("team-b-" + Guid.NewGuid().ToString("N")[..6]);
        var clients = new Dictionary<string, HttpClient>();
        foreach (var ns in new[] { a, b })
        {
            await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts", Http.Json("""{"metadata":{"name":"ci"}}""")).ExpectAsync(201);
            await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", Http.Json("""
                {"metadata":{"name":"ci-edit"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},"subjects":[{"kind":"ServiceAccount","name":"ci"}]}
                """)).ExpectAsync(201);
            var token = (string)(await admin.PostAsync($"/api/v1/namespaces/{ns}/serviceaccounts/ci/token", Http.Json("{}")).ExpectAsync(201))["status"]!["token"]!;
            clients[ns] = host.Client(token);
        }
        var teamA = clients[a];
        var teamB = clients[b];
        await Eventually.WaitAsync(async () => (await teamA.GetAsync($"/api/v1/namespaces/{a}/pods")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "bindings in effect");

        // team-a's own things.
        await teamA.PostAsync($"/api/v1/namespaces/{a}/pods", Http.Yaml(Http.Pod("web"))).ExpectAsync(201);
        await teamA.PostAsync($"/api/v1/namespaces/{a}/secrets", Http.Json("""{"metadata":{"name":"db"},"stringData":{"password":"s3cret"}}""")).ExpectAsync(201);
        await teamA.PostAsync($"/apis/gateway.platform.io/v1/namespaces/{a}/routes", Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata: {name: web}
            spec:
              uri: lb://web
              predicates: ["Path=/a/**"]
            """)).ExpectAsync(201);
        var before = await SnapshotAsync(admin, a);

        // Reaching into team-a: read its Secret, replace its Route, delete its pod, bind itself there.
        await teamB.GetAsync($"/api/v1/namespaces/{a}/secrets/db").ExpectAsync(403);
        await teamB.GetAsync($"/api/v1/namespaces/{a}/secrets").ExpectAsync(403);
        await teamB.PutAsync($"/apis/gateway.platform.io/v1/namespaces/{a}/routes/web", Http.Yaml("""
            apiVersion: gateway.platform.io/v1
            kind: Route
            metadata: {name: web}
            spec: {uri: "http://127.0.0.1:1", predicates: ["Path=/**"]}
            """)).ExpectAsync(403);
        await teamB.DeleteAsync($"/api/v1/namespaces/{a}/pods/web").ExpectAsync(403);
        await teamB.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{a}/rolebindings", Http.Json("""
            {"metadata":{"name":"in"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"system:serviceaccounts"}]}
            """)).ExpectAsync(403);
        // Forging endpoints: nobody but the node writes a pod's status, not even its own team.
        await teamB.PatchAsync($"/api/v1/namespaces/{a}/pods/web/status", """{"status":{"phase":"Running","podIP":"10.9.9.9"}}""").ExpectAsync(403);
        await teamA.PatchAsync($"/api/v1/namespaces/{a}/pods/web/status", """{"status":{"phase":"Running","podIP":"10.9.9.9"}}""").ExpectAsync(403);
        // Escaping to the node: a hostPath of / and a volume name that climbs out of its folder.
        var hostPath = await teamB.PostAsync($"/api/v1/namespaces/{b}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: peek}
            spec:
              volumes: [{name: host, hostPath: {path: /}}]
              containers: [{name: c, image: busybox, volumeMounts: [{name: host, mountPath: /host}]}]
            """)).ExpectAsync(403);
        Assert.Contains("violates PodSecurity \"baseline:latest\": hostPath volumes (volume \"host\")", (string?)hostPath["detail"]);
        var climb = await teamB.PostAsync($"/api/v1/namespaces/{b}/pods", Http.Yaml("""
            apiVersion: v1
            kind: Pod
            metadata: {name: climb}
            spec:
              volumes: [{name: ../../etc, emptyDir: {}}]
              containers: [{name: c, image: busybox, volumeMounts: [{name: ../../etc, mountPath: /x}]}]
            """)).ExpectAsync(422);
        Assert.Contains("spec.volumes[0].name", climb.ToJsonString());
        // Escalating: admin over its own namespace, platform tokens, labelling its namespace privileged.
        await teamB.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{b}/rolebindings", Http.Json("""
            {"metadata":{"name":"up"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"},"subjects":[{"kind":"ServiceAccount","name":"ci"}]}
            """)).ExpectAsync(403);
        await teamB.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json("""{"name":"mine","role":"admin"}""")).ExpectAsync(403);
        await teamB.PatchAsync($"/api/v1/namespaces/{b}", """{"metadata":{"labels":{"pod-security.kubernetes.io/enforce":"privileged"}}}""").ExpectAsync(403);

        Assert.Equal(before, await SnapshotAsync(admin, a));
    }

    /// <summary>Every object of the namespace by kind/name at its resourceVersion.</summary>
    private static async Task<string> SnapshotAsync(HttpClient admin, string ns)
    {
        var parts = new List<string>();
        foreach (var path in new[] { $"/api/v1/namespaces/{ns}/pods", $"/api/v1/namespaces/{ns}/secrets", $"/apis/gateway.platform.io/v1/namespaces/{ns}/routes",
                     $"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings" })
        {
            var list = await admin.GetAsync(path).ExpectAsync(200);
            parts.AddRange(list["items"]!.AsArray().Select(i => $"{path}/{i!["metadata"]!["name"]}@{i["metadata"]!["resourceVersion"]}"));
        }
        return string.Join("\n", parts.Order(StringComparer.Ordinal));
    }
}
