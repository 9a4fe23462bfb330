using System.Text.Json.Nodes;
using Platform.ApiServer.Tests.Infrastructure;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.ApiServer.Tests.Disruption;

/// <summary>
/// <c>POST pods/{name}/eviction</c>: a PodDisruptionBudget without a disruption left refuses with Kubernetes' 429; one
/// with a disruption left spends it (recording the pod in <c>disruptedPods</c>) in the same write as the delete.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class EvictionTests(PostgresFixture pg, KafkaFixture kafka)
{
    private static StringContent Eviction(string name) => Http.Json(new JsonObject
    {
        ["apiVersion"] = "policy/v1", ["kind"] = "Eviction", ["metadata"] = new JsonObject { ["name"] = name },
    });

    [Fact]
    public async Task Eviction_IsRefusedWith429_WhenTheBudgetHasNoDisruptionLeft_AndSpendsOneWhenItHas()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ns = await http.CreateNamespaceAsync();
        foreach (var name in new[] { "web-1", "web-2", "loner" })
        {
            await http.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(Http.Pod(name, name == "loner" ? "app: other" : "app: web"))).ExpectAsync(201);
            await http.PatchAsync($"/api/v1/namespaces/{ns}/pods/{name}/status",
                """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""").ExpectAsync(200);
        }
        var pdb = await http.PostAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets", Http.Yaml("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: web}}
            """)).ExpectAsync(201);
        var generation = (long)pdb["metadata"]!["generation"]!;

        // Not yet seen by the disruption controller: refused until it has.
        var refused = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web-1/eviction", Eviction("web-1")).ExpectAsync(429);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", (string?)refused["detail"]);
        Assert.Equal("The disruption budget web is still being processed by the server.", (string?)refused["errors"]![0]!["reason"]);

        // Two healthy of two needed, as the controller writes it.
        await SetStatusAsync(http, ns, generation, allowed: 0);
        refused = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web-1/eviction", Eviction("web-1")).ExpectAsync(429);
        Assert.Equal("TooManyRequests", (string?)refused["reason"]);
        Assert.Equal("DisruptionBudget", (string?)refused["errors"]![0]!["cause"]);
        Assert.Equal("The disruption budget web needs 2 healthy pods and has 2 currently", (string?)refused["errors"]![0]!["reason"]);
        await http.GetAsync($"/api/v1/namespaces/{ns}/pods/web-1").ExpectAsync(200);

        // A pod no budget covers goes at once.
        var ok = await http.PostAsync($"/api/v1/namespaces/{ns}/pods/loner/eviction", Eviction("loner")).ExpectAsync(201);
        Assert.Equal("Success", (string?)ok["status"]);
        await http.GetAsync($"/api/v1/namespaces/{ns}/pods/loner").ExpectAsync(404);

        // One disruption allowed: the first eviction spends it, the second is refused.
        await SetStatusAsync(http, ns, generation, allowed: 1);
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web-1/eviction", Eviction("web-1")).ExpectAsync(201);
        await http.GetAsync($"/api/v1/namespaces/{ns}/pods/web-1").ExpectAsync(404);
        var status = (await http.GetAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web").ExpectAsync(200))["status"]!;
        Assert.Equal(0, (int)status["disruptionsAllowed"]!);
        Assert.NotNull(status["disruptedPods"]!["web-1"]);
        Assert.Contains(status["conditions"]!.AsArray(), c => (string?)c!["type"] == "DisruptionAllowed" && (string?)c["status"] == "False" && (string?)c["reason"] == "InsufficientPods");
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web-2/eviction", Eviction("web-2")).ExpectAsync(429);

        // An Eviction naming another pod is a bad request; a missing pod is 404.
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods/web-2/eviction", Eviction("web-9")).ExpectAsync(400);
        await http.PostAsync($"/api/v1/namespaces/{ns}/pods/gone/eviction", Eviction("gone")).ExpectAsync(404);
    }

    private static Task SetStatusAsync(HttpClient http, string ns, long generation, int allowed) =>
        http.PatchAsync($"/apis/policy/v1/namespaces/{ns}/poddisruptionbudgets/web/status", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation, ["currentHealthy"] = 2, ["desiredHealthy"] = 2, ["expectedPods"] = 2,
                ["disruptionsAllowed"] = allowed,
            },
        }.ToJsonString()).ExpectAsync(200);
}
