using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Coordination;

[Collection(ApiServerCollection.Name)]
public sealed class LeaseTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static async Task<string> TokenAsync(HttpClient admin, string role, string? node = null)
    {
        var created = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = role + "-" + Guid.NewGuid().ToString("N")[..6], role, nodeName = node })
            .ContinueWith(t => t.Result).ExpectAsync(201);
        return (string)created["token"]!;
    }

    private static string LeaseJson(string name, string holder, string renewTime, int duration = 40, string? resourceVersion = null) =>
        new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1", ["kind"] = "Lease",
            ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = resourceVersion },
            ["spec"] = new JsonObject { ["holderIdentity"] = holder, ["leaseDurationSeconds"] = duration, ["renewTime"] = renewTime },
        }.ToJsonString();

    [Fact]
    public async Task Lease_CreateGetUpdateWithResourceVersion_ListDelete_IsDiscoverable_AndPublished()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var leases = $"/apis/coordination.k8s.io/v1/namespaces/{ns}/leases";

        var created = await admin.PostAsync(leases, Http.Json(LeaseJson("lock", "me", "2026-11-24T23:07:26.1234567+01:00"))).ExpectAsync(201);
        // MicroTime: UTC with exactly six fractional digits.
        Assert.Equal("2026-11-24T22:07:26.123456Z", (string?)created["spec"]!["renewTime"]);
        var rv = (string)created["metadata"]!["resourceVersion"]!;

        var renewed = await admin.PutAsync($"{leases}/lock", Http.Json(LeaseJson("lock", "me", "2026-11-24T22:07:36Z", resourceVersion: rv))).ExpectAsync(200);
        Assert.Equal("2026-11-24T22:07:36.000000Z", (string?)renewed["spec"]!["renewTime"]);
        // A second writer with the old resourceVersion loses: only one holder can win a race.
        var stale = await admin.PutAsync($"{leases}/lock", Http.Json(LeaseJson("lock", "other", "2026-11-24T22:07:37Z", resourceVersion: rv))).ExpectAsync(409);
        Assert.Equal("Conflict", (string?)stale["reason"] ?? (string?)stale["title"]);
        var got = await admin.GetAsync($"{leases}/lock").ExpectAsync(200);
        Assert.Equal("me", (string?)got["spec"]!["holderIdentity"]);

        var list = await admin.GetAsync(leases).ExpectAsync(200);
        Assert.Equal("LeaseList", (string?)list["kind"]);
        Assert.Equal(["lock"], list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        var discovery = await admin.GetAsync("/apis/coordination.k8s.io/v1").ExpectAsync(200);
        var resource = discovery["resources"]!.AsArray().Single(r => (string?)r!["name"] == "leases")!;
        Assert.Equal(("Lease", true), ((string?)resource["kind"], (bool?)resource["namespaced"]));
        var groups = await admin.GetAsync("/apis").ExpectAsync(200);
        Assert.Contains("coordination.k8s.io", groups["groups"]!.AsArray().Select(g => (string?)g!["name"]));

        // This namespace's: the apiservers' own leases (kube-system/apiserver-*) are renewed on the same topic.
        var messages = kafka.ConsumeMany(host.Topic(ResourceKinds.Lease), 2, TimeSpan.FromSeconds(15), m => m.Message.Key?.StartsWith(ns + "/", StringComparison.Ordinal) == true);
        Assert.Equal([$"{ns}/lock", $"{ns}/lock"], messages.Select(m => m.Message.Key));
        Assert.Equal(["io.platform.lease.created", "io.platform.lease.updated"], messages.Select(m => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes("ce_type"))));
        Assert.Equal("platform.leases", Platform.Contracts.Events.Topics.ForKind("leases"));

        await admin.DeleteAsync($"{leases}/lock").ExpectAsync(200);
        await admin.GetAsync($"{leases}/lock").ExpectAsync(404);
    }

    [Fact]
    public async Task InvalidLease_Is422_NamingEachField_AndAWrongTimestampIs400()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
        var invalid = await admin.PostAsync(leases, Http.Json("""
            {"metadata":{"name":"bad"},"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1,
             "acquireTime":"2026-11-24T10:00:00Z","renewTime":"2026-11-24T09:00:00Z"}}
            """)).ExpectAsync(422);
        Assert.Equal(["spec.leaseDurationSeconds", "spec.leaseTransitions", "spec.renewTime"], invalid["errors"]!.AsArray().Select(e => (string)e!["field"]!));
        var badTime = await admin.PostAsync(leases, Http.Json("""{"metadata":{"name":"bad"},"spec":{"renewTime":"yesterday"}}""")).ExpectAsync(400);
        Assert.Contains("spec.renewTime", (string?)badTime["detail"]);
        Assert.Contains("RFC 3339", (string?)badTime["detail"]);
        var wrongType = await admin.PostAsync(leases, Http.Json("""{"metadata":{"name":"bad"},"spec":{"leaseDurationSeconds":"long"}}""")).ExpectAsync(400);
        Assert.Contains("spec.leaseDurationSeconds", (string?)wrongType["detail"]);
    }

    [Fact]
    public async Task SystemNamespaces_ExistAtStart()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        foreach (var ns in new[] { "default", "kube-system", "kube-node-lease" })
            await admin.GetAsync($"/api/v1/namespaces/{ns}").ExpectAsync(200);
    }

    [Fact]
    public async Task NodeToken_ManagesItsOwnLeaseOnly_ControllerTokenWritesLeasesInKubeSystemOnly()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        using var nodeA = host.Client(await TokenAsync(admin, "node", "node-a"));
        var leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

        var own = await nodeA.PostAsync(leases, Http.Json(LeaseJson("node-a", "node-a", "2026-11-24T22:00:00Z"))).ExpectAsync(201);
        await nodeA.GetAsync($"{leases}/node-a").ExpectAsync(200);
        await nodeA.PutAsync($"{leases}/node-a", Http.Json(LeaseJson("node-a", "node-a", "2026-11-24T22:00:10Z", resourceVersion: (string)own["metadata"]!["resourceVersion"]!))).ExpectAsync(200);

        var forged = await nodeA.PostAsync(leases, Http.Json(LeaseJson("node-b", "node-a", "2026-11-24T22:00:00Z"))).ExpectAsync(403);
        Assert.Contains("kube-node-lease/node-a", (string?)forged["detail"]);
        await admin.PostAsync(leases, Http.Json(LeaseJson("node-b", "node-b", "2026-11-24T22:00:00Z"))).ExpectAsync(201);
        await nodeA.GetAsync($"{leases}/node-b").ExpectAsync(403);
        await nodeA.PutAsync($"{leases}/node-b", Http.Json(LeaseJson("node-b", "node-a", "2026-11-24T22:00:10Z"))).ExpectAsync(403);
        await nodeA.DeleteAsync($"{leases}/node-a").ExpectAsync(403);
        await nodeA.GetAsync(leases).ExpectAsync(403);
        await nodeA.PostAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases", Http.Json(LeaseJson("node-a", "node-a", "2026-11-24T22:00:00Z"))).ExpectAsync(403);

        using var controller = host.Client(await TokenAsync(admin, "controller"));
        await controller.PostAsync("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", Http.Json(LeaseJson("leader", "cm-1", "2026-11-24T22:00:00Z", 15))).ExpectAsync(201);
        await controller.GetAsync(leases).ExpectAsync(200);
        var heartbeat = await controller.PutAsync($"{leases}/node-b", Http.Json(LeaseJson("node-b", "node-b", "2026-11-24T22:00:10Z"))).ExpectAsync(403);
        Assert.Contains("kube-system", (string?)heartbeat["detail"]);
    }

    [Fact]
    public async Task DeletingANode_DeletesTheLeaseItOwns()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var node = await admin.PostAsync("/api/v1/nodes", Http.Yaml("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-x\n")).ExpectAsync(201);
        var lease = JsonNode.Parse(LeaseJson("node-x", "node-x", "2026-11-24T22:00:00Z"))!.AsObject();
        lease["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = "node-x", ["uid"] = (string?)node["metadata"]!["uid"],
        });
        var leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
        await admin.PostAsync(leases, Http.Json(lease)).ExpectAsync(201);
        await admin.DeleteAsync("/api/v1/nodes/node-x").ExpectAsync(200);
        await admin.GetAsync($"{leases}/node-x").ExpectAsync(404);
    }
}
