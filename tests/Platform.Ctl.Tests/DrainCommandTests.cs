using System.Text.Json.Nodes;
using Platform.Testing;
using Platform.Testing.ApiServer;

namespace Platform.Ctl.Tests;

/// <summary>
/// <c>platformctl cordon|uncordon|drain</c>: drain evicts through the eviction API, retries while the
/// PodDisruptionBudget refuses and prints each pod's outcome in an aligned table. (The budget's status is written
/// here as the disruption controller would.)
/// </summary>
[Collection(CtlCollection.Name)]
public sealed class DrainCommandTests(PostgresFixture pg, KafkaFixture kafka)
{
    [Fact]
    public async Task Drain_EvictsWhatTheBudgetAllows_RetriesTheRefusals_AndPrintsATable()
    {
        await using var host = await ApiServerHost.StartAsync(pg, kafka);
        using var http = host.AdminClient();
        var ctl = new CtlRunner(host);
        var node = "node-" + Guid.NewGuid().ToString("N")[..8];
        await http.PostAsync("/api/v1/nodes", Http.Json(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["metadata"] = new JsonObject { ["name"] = node } })).ExpectAsync(201);
        foreach (var name in new[] { "web-1", "web-2" })
        {
            await http.PostAsync("/api/v1/namespaces/default/pods", Http.Yaml(Http.Pod(name))).ExpectAsync(201);
            await http.PostAsync($"/api/v1/namespaces/default/pods/{name}/binding", Http.Json(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name }, ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
            })).ExpectAsync(201);
            await http.PatchAsync($"/api/v1/namespaces/default/pods/{name}/status",
                """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""").ExpectAsync(200);
        }
        var pdb = await http.PostAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets", Http.Yaml("""
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}
            """)).ExpectAsync(201);
        var status = new JsonObject { ["status"] = new JsonObject { ["observedGeneration"] = (long)pdb["metadata"]!["generation"]!, ["disruptionsAllowed"] = 1, ["currentHealthy"] = 2, ["desiredHealthy"] = 1, ["expectedPods"] = 2 } };
        await http.PatchAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets/web/status", status.ToJsonString()).ExpectAsync(200);

        Assert.Equal($"node/{node} cordoned", (await ctl.RunAsync($"cordon {node}")).Out.Trim());
        Assert.Equal($"node/{node} already cordoned", (await ctl.RunAsync($"cordon {node}")).Out.Trim());
        Assert.Equal($"node/{node} uncordoned", (await ctl.RunAsync($"uncordon {node}")).Out.Trim());

        // Unmanaged pods need --force; then one eviction is allowed and the second is refused until the timeout.
        var refused = await ctl.RunAsync($"drain {node}");
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("cannot delete Pods that declare no controller (use --force to override): default/web-1", refused.Err);
        var stuck = await ctl.RunAsync($"drain {node} --force --timeout 00:00:07");
        Assert.NotEqual(0, stuck.Exit);
        Assert.Contains("pod/web-1 evicted", stuck.Out);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", stuck.Err);
        Assert.Contains("drain did not complete within", stuck.Err);

        await http.PatchAsync("/apis/policy/v1/namespaces/default/poddisruptionbudgets/web/status", status.ToJsonString()).ExpectAsync(200);
        var done = await ctl.RunAsync($"drain {node} --force");
        Assert.Equal(0, done.Exit);
        var lines = done.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"node/{node} already cordoned", "evicting pod default/web-2", "pod/web-2 evicted", "NAMESPACE   POD     RESULT", "default     web-2   evicted", $"node/{node} drained"], lines);
    }
}
