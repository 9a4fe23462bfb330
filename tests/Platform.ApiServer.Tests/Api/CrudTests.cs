using System.Text;
using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Contracts.Resources;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Api;

[Collection(ApiServerCollection.Name)]
public sealed class CrudTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task CreateGetUpdatePatchDelete_EachChangeIsPublishedOnItsTopicInResourceVersionOrder()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/pods";

        var created = await http.PostAsync(url, Http.Yaml(Http.Pod("web-1"))).ExpectAsync(201);
        var rv1 = long.Parse((string)created["metadata"]!["resourceVersion"]!);
        Assert.Equal("Pending", (string?)created["status"]?["phase"]);
        Assert.NotNull((string?)created["metadata"]!["uid"]);

        var got = await http.GetAsync($"{url}/web-1").ExpectAsync(200);
        Assert.Equal("nginx:1.25", (string?)got["spec"]!["containers"]![0]!["image"]);

        got["spec"]!["containers"]![0]!["image"] = "nginx:1.26";
        var updated = await http.PutAsync($"{url}/web-1", Http.Json(got)).ExpectAsync(200);
        var rv2 = long.Parse((string)updated["metadata"]!["resourceVersion"]!);
        Assert.True(rv2 > rv1);
        Assert.Equal(2, (long)updated["metadata"]!["generation"]!);

        var patched = await http.PatchAsync($"{url}/web-1", """{"metadata":{"labels":{"tier":"front"}}}""").ExpectAsync(200);
        var rv3 = long.Parse((string)patched["metadata"]!["resourceVersion"]!);
        Assert.True(rv3 > rv2);
        Assert.Equal("front", (string?)patched["metadata"]!["labels"]!["tier"]);
        Assert.Equal("web", (string?)patched["metadata"]!["labels"]!["app"]);

        await http.DeleteAsync($"{url}/web-1").ExpectAsync(200);
        await http.GetAsync($"{url}/web-1").ExpectAsync(404);

        var messages = kafka.ConsumeMany(host.Topic(ResourceKinds.Pod), 4, TimeSpan.FromSeconds(20));
        Assert.Equal(4, messages.Count);
        Assert.All(messages, m => Assert.Equal($"{ns}/web-1", m.Message.Key));
        string Header(Confluent.Kafka.ConsumeResult<string?, byte[]> m, string name) => Encoding.UTF8.GetString(m.Message.Headers.GetLastBytes(name));
        Assert.Equal(["io.platform.pod.created", "io.platform.pod.updated", "io.platform.pod.updated", "io.platform.pod.deleted"], messages.Select(m => Header(m, "ce_type")));
        Assert.All(messages, m => Assert.Equal("1.0", Header(m, "ce_specversion")));
        var versions = messages.Select(m => long.Parse(Header(m, "ce_resourceversion"))).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(rv1, versions[0]);
        var last = JsonNode.Parse(messages[3].Message.Value)!;
        Assert.Equal("web-1", (string?)last["metadata"]!["name"]);
        Assert.Equal("nginx:1.26", (string?)last["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task List_BySetBasedAndEqualitySelectors_ReturnsOnlyMatchingPods()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/pods";
        await http.PostAsync(url, Http.Yaml(Http.Pod("a", "app: web, tier: front"))).ExpectAsync(201);
        await http.PostAsync(url, Http.Yaml(Http.Pod("b", "app: web, tier: back"))).ExpectAsync(201);
        await http.PostAsync(url, Http.Yaml(Http.Pod("c", "app: db"))).ExpectAsync(201);
        await http.PostAsync(url, Http.Yaml(Http.Pod("d", "app: web, canary: yes"))).ExpectAsync(201);

        async Task<string[]> Names(string selector)
        {
            var list = await http.GetAsync($"{url}?labelSelector={Uri.EscapeDataString(selector)}").ExpectAsync(200);
            Assert.Equal("PodList", (string?)list["kind"]);
            return list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!).ToArray();
        }

        Assert.Equal(["a", "b"], await Names("tier in (front,back)"));
        Assert.Equal(["a", "c", "d"], await Names("tier notin (back)"));
        Assert.Equal(["a", "b", "d"], await Names("app=web"));
        Assert.Equal(["c"], await Names("app!=web"));
        Assert.Equal(["a", "b"], await Names("app==web,!canary,tier"));
        Assert.Equal(["d"], await Names("canary"));

        var all = await http.GetAsync("/api/v1/pods?fieldSelector=metadata.name=c").ExpectAsync(200);
        Assert.Single(all["items"]!.AsArray());
        var bad = await http.GetAsync($"{url}?labelSelector={Uri.EscapeDataString("tier in (a")}").ExpectAsync(400);
        Assert.Contains("labelSelector", (string?)bad["detail"]);
        var badField = await http.GetAsync($"{url}?fieldSelector=spec.foo=1").ExpectAsync(400);
        Assert.Contains("field label not supported", (string?)badField["detail"]);
    }

    [Fact]
    public async Task Create_InvalidPod_ListsEveryInvalidFieldByPath()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: Bad_Name
            spec:
              replicas: -1
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: other
                spec:
                  containers:
                    - name: web
                      resources:
                        requests:
                          cpu: lots
                      ports:
                        - containerPort: 70000
                      livenessProbe:
                        httpGet:
                          path: /healthz
            """;
        using var r = await http.PostAsync($"/apis/apps/v1/namespaces/{ns}/deployments", Http.Yaml(yaml));
        Assert.Equal(422, (int)r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType!.MediaType);
        var problem = await r.ReadObjectAsync();
        var fields = problem["errors"]!.AsArray().Select(e => (string)e!["field"]!).ToList();
        Assert.Contains("metadata.name", fields);
        Assert.Contains("spec.replicas", fields);
        Assert.Contains("spec.template.metadata.labels", fields);
        Assert.Contains("spec.template.spec.containers[0].image", fields);
        Assert.Contains("spec.template.spec.containers[0].resources.requests.cpu", fields);
        Assert.Contains("spec.template.spec.containers[0].ports[0].containerPort", fields);
        Assert.Contains("spec.template.spec.containers[0].livenessProbe.httpGet.port", fields);
        Assert.Contains("spec.template.spec.containers[0].image: required", (string?)problem["detail"]);
    }

    [Fact]
    public async Task Create_UnparsableYaml_Is400WithLineAndColumn_AndUnknownKindIs404()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var bad = await http.PostAsync("/api/v1/namespaces/default/pods", Http.Yaml("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")).ExpectAsync(400);
        Assert.Matches("line \\d+, column \\d+", (string?)bad["detail"]);
        var wrongType = await http.PostAsync("/apis/apps/v1/namespaces/default/replicasets", Http.Json("""{"metadata":{"name":"x"},"spec":{"replicas":"three"}}""")).ExpectAsync(400);
        Assert.Contains("spec.replicas", (string?)wrongType["detail"]);
        var unknown = await http.GetAsync("/apis/apps/v1/namespaces/default/widgets").ExpectAsync(404);
        Assert.Contains("'widgets' is not served", (string?)unknown["detail"]);
        var version = await http.GetAsync("/apis/apps/v2/namespaces/default/deployments").ExpectAsync(404);
        Assert.Contains("apps/v2", (string?)version["detail"]);
        var mismatch = await http.PostAsync("/api/v1/namespaces/default/pods", Http.Yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n")).ExpectAsync(400);
        Assert.Contains("kind", (string?)mismatch["detail"]);
    }

    [Fact]
    public async Task Update_StaleResourceVersion_Is409_AndUnchangedUpdateKeepsTheVersion()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        var url = $"/api/v1/namespaces/{ns}/configmaps";
        var cm = await http.PostAsync(url, Http.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: '1'\n")).ExpectAsync(201);
        var same = await http.PutAsync($"{url}/cfg", Http.Json(cm)).ExpectAsync(200);
        Assert.Equal((string?)cm["metadata"]!["resourceVersion"], (string?)same["metadata"]!["resourceVersion"]);
        cm["data"]!["a"] = "2";
        await http.PutAsync($"{url}/cfg", Http.Json(cm)).ExpectAsync(200);
        cm["data"]!["a"] = "3";
        var conflict = await http.PutAsync($"{url}/cfg", Http.Json(cm)).ExpectAsync(409);
        Assert.Contains("modified", (string?)conflict["detail"]);
        await http.PatchAsync($"{url}/cfg", $$$"""{"metadata":{"resourceVersion":"{{{cm["metadata"]!["resourceVersion"]}}}"},"data":{"a":"4"}}""").ExpectAsync(409);
    }
}
