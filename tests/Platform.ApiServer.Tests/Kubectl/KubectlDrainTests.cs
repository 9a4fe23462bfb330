using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Kubectl;

/// <summary>
/// kubectl's own <c>cordon</c>, <c>uncordon</c> and <c>drain</c> against the apiserver: drain finds the eviction
/// subresource in discovery, lists the node's pods by field selector, is refused with 429 while the budget allows no
/// disruption and evicts once it does. (The budget's status is written here as the disruption controller would.)
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubectlDrainTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Drain_RetriesWhileTheBudgetRefuses_AndEvictsWhenItAllows()
    {
        using var kubectl = new KubectlSession();
        await using var host = await ApiServerHost.StartAsync(pg, kafka, builderHook: kubectl.UseHttpsAndHttp);
        using var http = new HttpClient { BaseAddress = KubectlSession.PlainAddress(host.Services) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", host.AdminToken);
        var ns = await http.CreateNamespaceAsync();
        kubectl.WriteKubeconfig(host.BaseAddress, host.AdminToken, ns);
        var node = "node-" + Guid.NewGuid().ToString("N")[..8];
        await http.PostAsync("/api/v1/nodes", Http.Json(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = node } })).ExpectAsync(201);
        foreach (var name in new[] { "web-1", "web-2" })
        {
            await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod(name))).ExpectAsync(201);
            await http.PostAsync($"/api/v1/namespaces/{ns}/pods/{name}/binding", Http.Json(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Binding", ["metadata"] = new JsonObject { ["name"] = name },
                ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
            })).ExpectAsync(201);
            await http.PatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status",
                """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""").ExpectAsync(200);
        }
        var pdb = await http.PostAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", Http.Yaml("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec: {minAvailable: 2, selector: {matchLabels: {app: web}}}
            """)).ExpectAsync(201);
        await SetAllowedAsync(http, ns, (long)pdb["metadata"]!["generation"]!, 0);

        Assert.Equal($"node/{node} cordoned\n", await kubectl.OkAsync(null, "cordon", node));
        Assert.Equal("true", await kubectl.OkAsync(null, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}"));
        Assert.Equal($"node/{node} uncordoned\n", await kubectl.OkAsync(null, "uncordon", node));

        // Two healthy of two needed: drain retries the refusals until its timeout.
        var (code, _, stderr) = await kubectl.RunAsync(null, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=7s");
        Assert.NotEqual(0, code);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", stderr);
        await http.GetAsync($"/api/v1/namespaces/{ns}/pods/web-1").ExpectAsync(200);

        // Room for both: drain evicts them and waits until they are gone.
        await SetAllowedAsync(http, ns, (long)pdb["metadata"]!["generation"]!, 2);
        var stdout = await kubectl.OkAsync(null, "drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=60s");
        Assert.Contains($"pod/web-1 evicted", stdout);
        Assert.Contains($"pod/web-2 evicted", stdout);
        Assert.Contains($"node/{node} drained", stdout);
        Assert.Empty((JsonArray)(await http.GetAsync($"/api/v1/namespaces/{ns}/pods").ExpectAsync(200))["items"]!);
        Assert.Equal("true", await kubectl.OkAsync(null, "get", "node", node, "-o", "jsonpath={.spec.unschedulable}"));
    }

    private static Task SetAllowedAsync(HttpClient http, string ns, long generation, int allowed) =>
        http.PatchAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation, ["currentHealthy"] = 2 + allowed, ["desiredHealthy"] = 2, ["expectedPods"] = 2, ["disruptionsAllowed"] = allowed,
            },
        }.ToJsonString()).ExpectAsync(200);
}
