using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Auth;

/// <summary>NodeRestriction: a node token creates and deletes only mirror pods of its own node.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class MirrorPodAuthorizationTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static JsonObject Pod(string name, string node, bool mirror, string? owner = null, string ownerKind = "Node")
    {
        var meta = new JsonObject { ["name"] = name };
        if (mirror) meta["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = "0123abcd", ["kubernetes.io/config.source"] = "file" };
        if (owner is not null)
            meta["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = ownerKind, ["name"] = owner, ["uid"] = Guid.NewGuid().ToString(), ["controller"] = true });
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = meta,
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "busybox" }),
            },
        };
    }

    [Fact]
    public async Task NodeToken_CreatesAndDeletesOnlyMirrorPodsOfItsOwnNode_Otherwise403ProblemDetails()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = "node-a", role = "node", nodeName = "node-a" }).ContinueWith(t => t.Result).ExpectAsync(201);
        using var nodeA = host.Client((string)created["token"]!);
        var pods = $"/api/v1/namespaces/{ns}/pods";

        await nodeA.PostAsync(pods, Http.Json(Pod("static-node-a", "node-a", mirror: true, owner: "node-a"))).ExpectAsync(201);
        var stored = await admin.GetAsync($"{pods}/static-node-a").ExpectAsync(200);
        Assert.Equal("0123abcd", (string?)stored["metadata"]!["annotations"]!["kubernetes.io/config.mirror"]);

        var plain = await nodeA.PostAsync(pods, Http.Json(Pod("plain", "node-a", mirror: false))).ExpectAsync(403);
        Assert.Equal(403, (int?)plain["status"]);
        Assert.Contains("kubernetes.io/config.mirror", (string?)plain["detail"]);
        var otherNode = await nodeA.PostAsync(pods, Http.Json(Pod("elsewhere", "node-b", mirror: true))).ExpectAsync(403);
        Assert.Contains("bound to node \"node-a\"", (string?)otherNode["detail"]);
        var otherOwner = await nodeA.PostAsync(pods, Http.Json(Pod("owned", "node-a", mirror: true, owner: "node-b"))).ExpectAsync(403);
        Assert.Contains("ownerReferences", (string?)otherOwner["detail"]);
        await nodeA.PostAsync(pods, Http.Json(Pod("by-rs", "node-a", mirror: true, owner: "rs", ownerKind: "ReplicaSet"))).ExpectAsync(403);
        await admin.GetAsync($"{pods}/plain").ExpectAsync(404);

        // Deleting: its own mirror yes; an ordinary pod bound to it, or a mirror of another node, no.
        await admin.PostAsync(pods, Http.Json(Pod("ordinary", "node-a", mirror: false))).ExpectAsync(201);
        await admin.PostAsync(pods, Http.Json(Pod("mirror-b", "node-b", mirror: true))).ExpectAsync(201);
        var ordinary = await nodeA.DeleteAsync($"{pods}/ordinary").ExpectAsync(403);
        Assert.Contains("mirror pods", (string?)ordinary["detail"]);
        await nodeA.DeleteAsync($"{pods}/mirror-b").ExpectAsync(403);
        await nodeA.DeleteAsync($"{pods}/static-node-a").ExpectAsync(200);
        await admin.GetAsync($"{pods}/static-node-a").ExpectAsync(404);
        await admin.GetAsync($"{pods}/ordinary").ExpectAsync(200);
    }
}
