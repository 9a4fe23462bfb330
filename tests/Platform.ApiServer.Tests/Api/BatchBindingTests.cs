using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

/// <summary>
/// <c>POST /apis/scheduling.platform.io/v1/batchbindings</c>: many bindings in one request and one transaction, each
/// item answered as <c>pods/binding</c> would answer it.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class BatchBindingTests(PostgresFixture pg, KafkaFixture kafka)
{
    private const string Path = "/apis/scheduling.platform.io/v1/batchbindings";

    [Fact]
    public async Task EachItemGetsItsOwnAnswer_TheBoundOnesAreWritten_InItemOrder_AndPublishedWithTheirVersions()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        var other = await admin.CreateNamespaceAsync();
        await admin.PostAsync("/api/v1/nodes", Http.Yaml("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n")).ExpectAsync(201);
        foreach (var name in new[] { "a", "b", "c", "bound" }) await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod(name))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{other}/pods", Http.Yaml(Http.Pod("theirs"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods/bound/binding",
            Http.Json("""{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bound"},"target":{"kind":"Node","name":"node-1"}}""")).ExpectAsync(201);

        // A user who may bind pods in ns only (a Role with pods/binding): its items elsewhere are 403, its own go through.
        var token = await admin.PostAsJsonAsync("/apis/auth.platform.io/v1/tokens", new { name = "batch-editor", role = "editor", @namespace = ns }).ExpectAsync(201);
        using var editor = host.Client((string)token["token"]!);
        var user = (string)(await editor.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Json("{}")).ExpectAsync(201))["status"]!["userInfo"]!["username"]!;
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
            Http.Yaml("apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: binder}\nrules:\n- {apiGroups: [''], resources: [pods/binding], verbs: [create]}\n")).ExpectAsync(201);
        await admin.PostAsync($"/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings", Http.Yaml(
            $"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: binder}}\nroleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}}\nsubjects:\n- {{kind: User, apiGroup: rbac.authorization.k8s.io, name: '{user}'}}\n")).ExpectAsync(201);
        var probe = $"{{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"spec\":{{\"resourceAttributes\":{{\"namespace\":\"{ns}\",\"verb\":\"create\",\"resource\":\"pods\",\"subresource\":\"binding\"}}}}}}";
        await Eventually.WaitAsync(async () => (bool?)(await editor.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Json(probe)).ExpectAsync(201))["status"]!["allowed"] == true,
            TimeSpan.FromSeconds(20), "the binder role takes effect");
        var answer = await editor.PostAsync(Path, Http.Json(Batch(
            (ns, "a", "node-1"), (ns, "missing", "node-1"), (ns, "bound", "node-1"), (ns, "b", "no-such-node"),
            (other, "theirs", "node-1"), (ns, "c", "node-1"), (ns, "c", "node-1"), (ns, "", "node-1")))).ExpectAsync(200);

        var results = answer["status"]!["results"]!.AsArray();
        Assert.Equal([201, 404, 409, 404, 403, 201, 409, 422], results.Select(r => (int)r!["code"]!));
        Assert.Contains("already assigned to node \"node-1\"", (string?)results[2]!["message"]);
        Assert.Contains("nodes \"no-such-node\" not found", (string?)results[3]!["message"]);
        Assert.Contains("items[7].metadata.name", (string?)results[7]!["message"]);
        var rvA = long.Parse((string)results[0]!["resourceVersion"]!);
        var rvC = long.Parse((string)results[5]!["resourceVersion"]!);
        Assert.True(rvC > rvA, "versions are drawn in item order");

        foreach (var (name, node) in new[] { ("a", "node-1"), ("c", "node-1"), ("b", (string?)null) })
        {
            var pod = await admin.GetAsync($"/api/v1/namespaces/{ns}/pods/{name}").ExpectAsync(200);
            Assert.Equal(node, (string?)pod["spec"]!["nodeName"]);
            if (node is not null) Assert.Equal("PodScheduled", (string?)pod["status"]!["conditions"]![0]!["type"]);
        }
        var theirs = await admin.GetAsync($"/api/v1/namespaces/{other}/pods/theirs").ExpectAsync(200);
        Assert.Null((string?)theirs["spec"]!["nodeName"]);

        // Both bindings reach the pods topic, each carrying the version its item was answered with.
        string Header(Confluent.Kafka.ConsumeResult<string?, byte[]> m, string name) => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes(name));
        var bound = kafka.ConsumeMany(host.Topic(ResourceKinds.Pod), 2, TimeSpan.FromSeconds(20),
            m => m.Message.Key is { } key && (key == $"{ns}/a" || key == $"{ns}/c") && Header(m, "ce_type") == "io.platform.pod.updated");
        Assert.Equal([($"{ns}/a", rvA), ($"{ns}/c", rvC)], bound.Select(m => (m.Message.Key!, long.Parse(Header(m, "ce_resourceversion")))).Order());
    }

    [Fact]
    public async Task MalformedBatches_Get4xxNamingTheField_AndBindNothing()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var admin = host.AdminClient();
        var ns = await admin.CreateNamespaceAsync();
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod("p"))).ExpectAsync(201);

        var noItems = await admin.PostAsync(Path, Http.Json("""{"kind":"BatchBinding"}""")).ExpectAsync(422);
        Assert.Contains("items", noItems.ToJsonString());
        var tooMany = Batch([.. Enumerable.Range(0, 501).Select(i => (ns, $"p{i}", "node-1"))]);
        Assert.Contains("at most 500", (await admin.PostAsync(Path, Http.Json(tooMany)).ExpectAsync(422)).ToJsonString());
        await admin.PostAsync(Path, Http.Json("""{"kind":"Pod","items":[]}""")).ExpectAsync(400);
        await admin.PostAsync(Path, Http.Json("""{"kind":"BatchBinding","items":[1, "x"]}""")).ExpectAsync(200);
        using var anonymous = host.Client();
        await anonymous.PostAsync(Path, Http.Json(Batch((ns, "p", "node-1")))).ExpectAsync(401);

        var pod = await admin.GetAsync($"/api/v1/namespaces/{ns}/pods/p").ExpectAsync(200);
        Assert.Null((string?)pod["spec"]!["nodeName"]);
    }

    private static string Batch(params (string Namespace, string Name, string Node)[] items) => JsonSerializer.Serialize(new
    {
        apiVersion = "scheduling.platform.io/v1",
        kind = "BatchBinding",
        items = items.Select(i => new { metadata = new { @namespace = i.Namespace, name = i.Name }, target = new { kind = "Node", name = i.Node } }),
    });
}
