using System.Net;
using Platform.Console.Tests.Support;
using Platform.Testing.ApiServer;

namespace Platform.Console.Tests.Pages;

[Collection(ConsoleCollection.Name)]
public sealed class OverviewPageTests(ConsoleFixture fx)
{
    private static string PodOn(string name, string node, string cpu, string memory) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          nodeName: {node}
          containers:
            - name: main
              image: nginx:1.25
              resources:
                requests: {"{"}cpu: "{cpu}", memory: "{memory}"{"}"}
        """;

    [Fact]
    public async Task Nodes_ShowAllocatableAndTheRequestsOfTheirUnfinishedPods()
    {
        using var admin = fx.Admin();
        var ns = await admin.CreateNamespaceAsync();
        var node = "alloc-" + Guid.NewGuid().ToString("N")[..8];
        await admin.PostAsync("/api/v1/nodes", Http.Json($$$"""{"metadata":{"name":"{{{node}}}"}}""")).ExpectAsync(201);
        await admin.PatchAsync($"/api/v1/nodes/{node}/status", """
            {"status":{"capacity":{"cpu":"2","memory":"4Gi","pods":"110"},"allocatable":{"cpu":"2","memory":"4Gi","pods":"110"},
                       "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"2026-12-05T10:00:00Z","lastTransitionTime":"2026-12-05T10:00:00Z"}]}}
            """).ExpectAsync(200);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(PodOn("a", node, "250m", "512Mi"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(PodOn("b", node, "500m", "1Gi"))).ExpectAsync(201);
        await admin.PostAsync($"/api/v1/namespaces/{ns}/pods", Http.Yaml(PodOn("done", node, "1", "1Gi"))).ExpectAsync(201);
        await admin.PatchAsync($"/api/v1/namespaces/{ns}/pods/done/status", """{"status":{"phase":"Succeeded"}}""").ExpectAsync(200);

        using var browser = fx.Browser();
        (await browser.SignInAsync(fx.ApiServer.AdminToken)).Dispose();
        var (status, html) = await browser.GetAsync($"/?ns={ns}");
        Assert.Equal(HttpStatusCode.OK, status);
        var row = html[html.IndexOf($"<tr data-node=\"{node}\">", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        // The finished pod's request no longer counts, as the scheduler counts it.
        Assert.Contains("<td class=\"ok\">Ready</td>", row, StringComparison.Ordinal);
        Assert.Contains("750m / 2000m", row, StringComparison.Ordinal);
        Assert.Contains("value=\"750\"", row, StringComparison.Ordinal);
        Assert.Contains("1536Mi / 4Gi", row, StringComparison.Ordinal);
        Assert.Contains("<td>2</td>", row, StringComparison.Ordinal);
        Assert.Contains("Pending <b>2</b>", html, StringComparison.Ordinal);
        Assert.Contains("Succeeded <b>1</b>", html, StringComparison.Ordinal);
    }
}
