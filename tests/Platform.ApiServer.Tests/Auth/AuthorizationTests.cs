using System.Net;
using System.Net.Http.Json;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

[Collection(ApiServerCollection.Name)]
public sealed class AuthorizationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static async Task<string> TokenAsync(HttpClient admin, string name, string role, string? ns = null, string? node = null)
    {
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name, role, @namespace = ns, nodeName = node }).ContinueWith(t => t.Result).ExpectAsync(201);
        return (string)created["token"]!;
    }

    [Fact]
    public async Task EveryMutatingRouteWithoutToken_Is401ProblemDetails()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var anonymous = host.Client();
        using var wrong = host.Client("not-a-real-token-at-all");
        var routes = new List<(HttpMethod, string)>();
        foreach (var kind in Platform.Contracts.Resources.ResourceKinds.All)
        {
            var collection = kind.CollectionPath(kind.Namespaced ? "default" : null);
            routes.Add((HttpMethod.Post, collection));
            routes.Add((HttpMethod.Put, collection + "/x"));
            routes.Add((HttpMethod.Patch, collection + "/x"));
            routes.Add((HttpMethod.Delete, collection + "/x"));
            foreach (var sub in kind.Subresources)
                routes.Add((sub == "binding" ? HttpMethod.Post : HttpMethod.Put, $"{collection}/x/{sub}"));
        }
        routes.Add((HttpMethod.Post, "/apis/auth.platform.io/v1/tokens"));
        routes.Add((HttpMethod.Delete, "/apis/auth.platform.io/v1/tokens/x"));
        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var (method, url) in routes)
            {
                using var r = await client.SendAsync(new HttpRequestMessage(method, url) { Content = Http.Json("{}") });
                Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url}: {(int)r.StatusCode}");
                Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.True(routes.Count > 40);
        using var read = await anonymous.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
    }

    [Fact]
    public async Task Viewer_Reads_But_Gets403OnWrites_AndOnSecrets_EditorStaysInItsNamespace()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        using var viewer = host.Client(await TokenAsync(admin, "viewer", "viewer"));
        using var editor = host.Client(await TokenAsync(admin, "editor", "editor", ns));

        await viewer.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(200);
        var denied = await viewer.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(403);
        Assert.Equal($"pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"{ns}\"", (string?)denied["detail"]);
        await viewer.GetAsync($"/api/v1/namespaces/{ns}/secrets").ExpectAsync(403);
        await viewer.PostAsync("/apis/auth.platform.io/v1/tokens", Http.Json("""{"name":"x","role":"admin"}""")).ExpectAsync(403);

        await editor.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(201);
        await editor.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(403);
        await editor.DeleteAsync($"/api/v1/namespaces/{ns}").ExpectAsync(403);
        await viewer.DeleteAsync($"/api/v1/namespaces/{ns}/pods/p").ExpectAsync(403);
    }

    [Fact]
    public async Task NodeToken_ReadsAndUpdatesStatusOfItsPodsOnly()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        foreach (var n in new[] { "node-a", "node-b" })
            await admin.PostAsync("/api/v1/nodes", Http.Yaml($"apiVersion: v1\nkind: Node\nmetadata:\n  name: {n}\n")).ExpectAsync(201);
        var pods = $"/api/v1/namespaces/{ns}/pods";
        foreach (var (pod, node) in new[] { ("on-a", "node-a"), ("on-b", "node-b") })
        {
            await admin.PostAsync(pods, Http.Yaml(Http.Pod(pod))).ExpectAsync(201);
            await admin.PostAsync($"{pods}/{pod}/binding", Http.Json($$$"""{"target":{"kind":"Node","name":"{{{node}}}"}}""")).ExpectAsync(201);
        }
        using var nodeA = host.Client(await TokenAsync(admin, "node-a", "node", node: "node-a"));

        await nodeA.GetAsync($"{pods}/on-a").ExpectAsync(200);
        await nodeA.PatchAsync($"{pods}/on-a/status", """{"status":{"phase":"Running"}}""").ExpectAsync(200);
        var other = await nodeA.GetAsync($"{pods}/on-b").ExpectAsync(403);
        Assert.Contains("node-a", (string?)other["detail"]);
        await nodeA.PatchAsync($"{pods}/on-b/status", """{"status":{"phase":"Failed"}}""").ExpectAsync(403);
        await nodeA.DeleteAsync($"{pods}/on-a").ExpectAsync(403);
        await nodeA.PatchAsync($"{pods}/on-a", """{"metadata":{"labels":{"x":"y"}}}""").ExpectAsync(403);
        await nodeA.GetAsync($"/api/v1/pods").ExpectAsync(403);
        var mine = await nodeA.GetAsync($"/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a").ExpectAsync(200);
        Assert.Equal(["on-a"], mine["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        await nodeA.PatchAsync("/api/v1/nodes/node-a/status", """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""").ExpectAsync(200);
        await nodeA.PatchAsync("/api/v1/nodes/node-b/status", """{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""").ExpectAsync(403);
        var b = await admin.GetAsync($"{pods}/on-b").ExpectAsync(200);
        Assert.Equal("Pending", (string?)b["status"]!["phase"]);
    }
}
