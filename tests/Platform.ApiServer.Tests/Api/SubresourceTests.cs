using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

[Collection(ApiServerCollection.Name)]
public sealed class SubresourceTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Binding_SetsNodeNameOnce_StatusSubresourceChangesOnlyStatus_ScaleSetsReplicas()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        await http.PostAsync("/api/v1/nodes", Http.Yaml("apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n")).ExpectAsync(201);
        var pods = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(pods, Http.Yaml(Http.Pod("p"))).ExpectAsync(201);

        var binding = """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"p"},"target":{"apiVersion":"v1","kind":"Node","name":"node-1"}}""";
        var bound = await http.PostAsync($"{pods}/p/binding", Http.Json(binding)).ExpectAsync(201);
        Assert.Equal("node-1", (string?)bound["spec"]!["nodeName"]);
        Assert.Equal("PodScheduled", (string?)bound["status"]!["conditions"]![0]!["type"]);
        var again = await http.PostAsync($"{pods}/p/binding", Http.Json(binding)).ExpectAsync(409);
        Assert.Contains("already assigned to node \"node-1\"", (string?)again["detail"]);
        await http.GetAsync($"/api/v1/pods?fieldSelector=spec.nodeName=node-1").ContinueWith(t => t.Result).ExpectAsync(200);
        var onNode = await http.GetAsync($"{pods}?fieldSelector=spec.nodeName%3Dnode-1").ExpectAsync(200);
        Assert.Single(onNode["items"]!.AsArray());

        // The status subresource ignores spec; the main resource ignores status.
        var status = await http.PatchAsync($"{pods}/p/status", """{"status":{"phase":"Running"},"spec":{"containers":[{"name":"main","image":"evil"}]}}""").ExpectAsync(200);
        Assert.Equal("Running", (string?)status["status"]!["phase"]);
        Assert.Equal("nginx:1.25", (string?)status["spec"]!["containers"]![0]!["image"]);
        var main = await http.PatchAsync($"{pods}/p", """{"status":{"phase":"Failed"}}""").ExpectAsync(200);
        Assert.Equal("Running", (string?)main["status"]!["phase"]);
        var running = await http.GetAsync($"{pods}?fieldSelector=status.phase%3DRunning").ExpectAsync(200);
        Assert.Single(running["items"]!.AsArray());

        var deploy = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "httpd:2.4-alpine"}]}
            """;
        var deployments = $"/apis/apps/v1/namespaces/{ns}/deployments";
        var d = await http.PostAsync(deployments, Http.Yaml(deploy)).ExpectAsync(201);
        Assert.Equal(1, (int)d["spec"]!["replicas"]!);
        Assert.Equal("25%", (string?)d["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]);
        var scale = await http.GetAsync($"{deployments}/web/scale").ExpectAsync(200);
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);
        scale["spec"]!["replicas"] = 5;
        var scaled = await http.PutAsync($"{deployments}/web/scale", Http.Json(scale)).ExpectAsync(200);
        Assert.Equal(5, (int)scaled["spec"]!["replicas"]!);
        await http.PatchAsync($"{deployments}/web/scale", """{"spec":{"replicas":-2}}""").ExpectAsync(422);
        var after = await http.GetAsync($"{deployments}/web").ExpectAsync(200);
        Assert.Equal(5, (int)after["spec"]!["replicas"]!);
        Assert.Equal(2, (long)after["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Delete_Propagation_BackgroundRemovesDependents_OrphanKeepsThem_NamespaceDeletesItsContents()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var cms = $"/api/v1/namespaces/{ns}/configmaps";
        async Task<string> Make(string name, string? ownerName = null, string? ownerUid = null)
        {
            var owner = ownerUid is null ? "" : $"\n  ownerReferences:\n    - apiVersion: v1\n      kind: ConfigMap\n      name: {ownerName}\n      uid: {ownerUid}";
            var o = await http.PostAsync(cms, Http.Yaml($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}{owner}\n")).ExpectAsync(201);
            return (string)o["metadata"]!["uid"]!;
        }
        var root = await Make("root");
        var child = await Make("child", "root", root);
        await Make("grandchild", "child", child);
        var keep = await Make("keep");
        await Make("orphan", "keep", keep);

        await http.DeleteAsync($"{cms}/root?propagationPolicy=Background").ExpectAsync(200);
        await http.GetAsync($"{cms}/child").ExpectAsync(404);
        await http.GetAsync($"{cms}/grandchild").ExpectAsync(404);

        await http.DeleteAsync($"{cms}/keep?propagationPolicy=Orphan").ExpectAsync(200);
        var orphan = await http.GetAsync($"{cms}/orphan").ExpectAsync(200);
        Assert.Null(orphan["metadata"]!["ownerReferences"]);

        var fin = await http.PostAsync(cms, Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guarded\n  finalizers: [example.com/cleanup]\n")).ExpectAsync(201);
        var marked = await http.DeleteAsync($"{cms}/guarded").ExpectAsync(200);
        Assert.NotNull(marked["metadata"]!["deletionTimestamp"]);
        await http.GetAsync($"{cms}/guarded").ExpectAsync(200);
        await http.PatchAsync($"{cms}/guarded", """{"metadata":{"finalizers":null}}""").ExpectAsync(200);
        await http.GetAsync($"{cms}/guarded").ExpectAsync(404);
        _ = fin;

        await http.DeleteAsync($"/api/v1/namespaces/{ns}").ExpectAsync(200);
        await http.GetAsync($"{cms}/orphan").ExpectAsync(404);
        var left = await http.GetAsync($"/api/v1/configmaps?fieldSelector=metadata.namespace%3D{ns}").ExpectAsync(200);
        Assert.Empty(left["items"]!.AsArray());
        var gone = await http.PostAsync(cms, Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n")).ExpectAsync(404);
        Assert.Contains($"namespaces \"{ns}\" not found", (string?)gone["detail"]);
    }
}
